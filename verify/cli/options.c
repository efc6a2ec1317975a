/* options.c - the options of lkey-verify */
#include "options.h"

const args_spec options[O_COUNT] = {
	[O_PUBKEY] = { "pubkey", ARGS_MULTI },
	[O_PRODUCT] = { "product", true },
	[O_CATALOG] = { "catalog", true },
	[O_TODAY] = { "today", true },
	[O_RELEASE] = { "release", true },
	[O_USERS] = { "users", true },
	[O_ADMIN] = { "admin", false },
	[O_OVER_SINCE] = { "over-since", true },
	[O_MODULE_USERS] = { "module-users", true },
	[O_JSON] = { "json", false },
	[O_KEYFILE] = { "key-file", true },
	[O_INSTALL] = { "install", true },
	[O_FORCE] = { "force", false },
	[O_STATE] = { "state", true },
	[O_REVOCATIONS] = { "revocations", true },
	[O_HOST] = { "host", true },
	[O_HOST_ID] = { "host-id", false },
	[O_CHECK] = { "check", true },
	[O_HELP] = { "help", false },
	[O_VERSION] = { "version", false },
	[O_STORE] = { "store", true },
	[O_REGISTER] = { "register", false },
};

const bool option_is_path[O_COUNT] = {
	[O_PUBKEY] = true, [O_CATALOG] = true, [O_REVOCATIONS] = true,
	[O_KEYFILE] = true, [O_INSTALL] = true, [O_STATE] = true,
	[O_STORE] = true,
};

const char *const option_refused[O_COUNT] = {
	[O_JSON] = "it prints one line per key",
	[O_KEYFILE] = "each manifest line names its key file first",
	[O_INSTALL] = "it writes a licence file",
	[O_FORCE] = "it goes with --install",
	[O_STATE] = "it writes a state file (fix the day with --today instead)",
	[O_HOST_ID] = "it checks no key",
	[O_CHECK] = "manifests do not nest",
	[O_HELP] = "it checks no key",
	[O_VERSION] = "it checks no key",
	[O_STORE] = "it writes a licence store",
	[O_REGISTER] = "it writes a licence store",
};
