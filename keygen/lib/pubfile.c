/*
 * pubfile.c - the text of a public key file: a comment line naming the key
 * id, then the base64 of magic, key id and key (docs/FORMAT.md)
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "le.h"
#include "pubfile.h"
#include "pubkey.h"

size_t
pubkey_file_format(const lkey_pubkey *pub, char *out, size_t cap)
{
	uint8_t blob[PUBKEY_BLOB_BYTES];
	char b64[LKEY_B64_LEN(PUBKEY_BLOB_BYTES) + 1U];
	int n;

	memcpy(blob, PUBKEY_MAGIC, 4);
	le_store32(blob + 4, pub->id);
	memcpy(blob + 8, pub->pk, LKEY_PUBLICKEYBYTES);
	if (lkey__b64_encode(blob, sizeof(blob), b64, sizeof(b64)) == 0)
		return 0;
	n = snprintf(out, cap, "# lkey public key, key id %08x\n%s\n",
	    (unsigned)pub->id, b64);
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	return (size_t)n;
}
