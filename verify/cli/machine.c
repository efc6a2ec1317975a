/*
 * machine.c - this computer's host id, from its machine id
 *
 * liblkey reads no file: it hashes the machine id it is given with the
 * product (lkey_host_id). Reading the id is this program's part.
 */
#include <stdio.h>
#include <string.h>

#include "machine.h"
#include "num.h"
#include "textfile.h"

/* Where systemd and D-Bus keep the machine id (machine-id(5)). */
static const char *const machine_id_files[] = {
	"/etc/machine-id", "/var/lib/dbus/machine-id"
};
#define MACHINE_ID_BYTES 16U

/*
 * A machine id is 32 lowercase hex digits and a newline, never all zero
 * (machine-id(5)); anything else is not one, and hashing it would bind a
 * key to whatever the file happens to hold.
 */
static int
machine_id_ok(const char *text, size_t len)
{
	uint8_t id[MACHINE_ID_BYTES];

	return num_hex(text, len, id, sizeof(id)) == 0 &&
	    strspn(text, "0") != len ? 0 : -1;
}

int
machine_host_id(uint32_t product, uint8_t out[LKEY_HOST_ID_BYTES], char *err,
    size_t cap)
{
	char text[64], why[256];
	const char *path;
	size_t len, k;
	int rc;

	snprintf(err, cap, "no machine id");
	for (k = 0; k < sizeof(machine_id_files) / sizeof(*machine_id_files);
	    k++) {
		path = machine_id_files[k];
		rc = textfile_read(path, 0, text, sizeof(text), &len, why,
		    sizeof(why));
		if (rc != TEXTFILE_OK) {
			snprintf(err, cap, "%s: %s", path,
			    rc == TEXTFILE_TOO_BIG ? "not a machine id" : why);
			continue;
		}
		if (len > 0 && text[len - 1] == '\n')
			len--;
		if (machine_id_ok(text, len) != 0) {
			snprintf(err, cap, "%s: not a machine id (32 hex "
			    "digits)", path);
			continue;
		}
		lkey_host_id(text, len, product, out);
		return 0;
	}
	return -1;
}
