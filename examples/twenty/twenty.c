/* twenty.c: register a licence key as pasted; check it at start-up. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <lkey.h>
#include "vendor_keys.h"	/* lkey-keygen pubkey --c-header vendor.pub */

static lkey_store store;	/* about 105 KiB: not on the stack */

int
main(int argc, char **argv)	/* twenty DIR [KEY-AS-PASTED] */
{
	lkey_context ctx = { .product = 1 };
	lkey_store_result r;

	if (argc < 2 || argc > 3)
		return 2;
	ctx.today = lkey_day_from_unix((int64_t)time(NULL));
	if (argc == 3)		/* the registration screen */
		r = lkey_store_register(&store, argv[1], argv[2],
		    strlen(argv[2]), lkey_vendor_keys, LKEY_VENDOR_KEYS_COUNT,
		    &ctx, 0);
	else			/* start-up */
		r = lkey_store_evaluate(&store, argv[1], lkey_vendor_keys,
		    LKEY_VENDOR_KEYS_COUNT, &ctx);
	if (r == LKEY_STORE_OK && argc == 3)
		puts(store.message);	/* "Registered licence 7: ..." */
	if (r == LKEY_STORE_OK && store.status == LKEY_OK)
		return 0;
	fprintf(stderr, "%s\n", r != LKEY_STORE_OK ? store.message :
	    lkey_status_message(store.status));
	return 1;
}
