/*
 * machine.h - this computer's host id, from its machine id (internal to
 * lkey-verify)
 */
#ifndef LKEY_MACHINE_H
#define LKEY_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/*
 * This computer's host id for `product` (lkey_host_id) from the machine id
 * that systemd or D-Bus keeps (machine-id(5)). Returns 0, or -1 with the
 * reason in err when no machine id can be read.
 */
int machine_host_id(uint32_t product, uint8_t out[LKEY_HOST_ID_BYTES],
    char *err, size_t cap);

#endif
