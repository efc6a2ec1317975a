/*
 * test_pkgconfig.c - make install and make uninstall, and building against
 * the installed tree with pkg-config alone, as a packager and an integrator
 * do.
 *
 * make install runs with B=$LKEY_BUILD_DIR (the build being tested: its
 * programs and libraries are up to date, so nothing is rebuilt),
 * PREFIX=/usr and DESTDIR=a fresh directory. The installed tree must hold
 * exactly the files listed below, with their modes and links, the shared
 * library's soname liblkey.so.2, and an lkey.pc that pkg-config reads
 * (PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR point into DESTDIR). The
 * example application (examples/timeclock, copied out of the tree as an
 * integrator copies it) is then built with its own Makefile, which takes
 * its flags from `pkg-config --cflags --libs lkey` only, linked to the
 * installed liblkey.so, and run (LD_LIBRARY_PATH into DESTDIR) to register
 * and check a key. A program built in one command with `pkg-config
 * --static --cflags --libs lkey`, and one with lkey-static instead of lkey,
 * must define LKEY_STATIC, not need liblkey.so (no DT_NEEDED liblkey.so.2,
 * and ldd does not list it) and run without LD_LIBRARY_PATH; one built
 * with `pkg-config --cflags --libs lkey` must need liblkey.so.2. make
 * uninstall must then leave no file behind. make -n UNAME_S=Darwin must
 * show the macOS link of the shared library (an install name, no -z or
 * -soname), and the lkey.pc it writes must have no -Bstatic, which Apple's
 * linker lacks: neither can run here.
 *
 * Under make test-valgrind, tests/valgrind.sh runs make, the compiler and
 * pkg-config natively (they are no part of lkey) and the example program
 * under valgrind: the whole test runs there too, in seconds.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lkey.h"
#include "proc.h"

#define FILECAP 65536U
/* The largest file the ELF reader loads: liblkey.so is some 100 KiB. */
#define ELF_MAX (16U * 1024U * 1024U)

/* What make install puts under DESTDIR, with PREFIX=/usr. */
static const struct installed {
	const char *path;
	mode_t mode;		/* 0: a symbolic link */
	const char *target;	/* its target */
} tree[] = {
	{ "usr/bin/lkey-keygen", 0755, NULL },
	{ "usr/bin/lkey-verify", 0755, NULL },
	{ "usr/lib/liblkey.a", 0644, NULL },
	{ "usr/lib/liblkey.so.2.0.0", 0755, NULL },
	{ "usr/lib/liblkey.so.2", 0, "liblkey.so.2.0.0" },
	{ "usr/lib/liblkey.so", 0, "liblkey.so.2" },
	{ "usr/lib/pkgconfig/lkey.pc", 0644, NULL },
	{ "usr/lib/pkgconfig/lkey-static.pc", 0644, NULL },
	{ "usr/include/lkey.h", 0644, NULL },
	{ "usr/share/man/man1/lkey-verify.1", 0644, NULL },
	{ "usr/share/man/man1/lkey-keygen.1", 0644, NULL },
	{ "usr/share/man/man3/lkey.3", 0644, NULL },
	{ "usr/share/bash-completion/completions/lkey-keygen", 0644, NULL },
	{ "usr/share/bash-completion/completions/lkey-verify", 0644, NULL },
};
#define TREE_N (sizeof(tree) / sizeof(tree[0]))

/* ---- helpers ------------------------------------------------------------ */

/* make TARGET B=... PREFIX=/usr DESTDIR=... (SANITIZE=1 for ASan). */
static void
make_target(const struct fx *fx, const char *target, const char *destdir)
{
	char b[PATHCAP], d[PATHCAP];
	const char *argv[] = { "make", "--no-print-directory", target, b,
	    "PREFIX=/usr", d, ASAN_BUILD ? "SANITIZE=1" : NULL, NULL };
	struct result r;

	bprintf(b, sizeof(b), "B=%s", fx->bindir);
	bprintf(d, sizeof(d), "DESTDIR=%s", destdir);
	run_tool_ok(target, argv, NULL, &r);
}

/*
 * Every file and link below dir (directories are walked, not listed),
 * as paths relative to top, into a list that `visit` checks.
 */
static void
walk(const char *top, const char *rel,
    void (*visit)(const char *rel, void *arg), void *arg)
{
	char path[PATHCAP], sub[PATHCAP];
	struct dirent *e;
	struct stat st;
	DIR *d;

	bprintf(path, sizeof(path), "%s%s%s", top, rel[0] != '\0' ? "/" : "",
	    rel);
	d = opendir(path);
	if (d == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		bprintf(sub, sizeof(sub), "%s%s%s", rel,
		    rel[0] != '\0' ? "/" : "", e->d_name);
		bprintf(path, sizeof(path), "%s/%s", top, sub);
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			walk(top, sub, visit, arg);
		else
			visit(sub, arg);
	}
	closedir(d);
}

static void
expect_listed(const char *rel, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < TREE_N; i++)
		if (strcmp(tree[i].path, rel) == 0)
			return;
	fail_msg("make install installed %s, which it should not", rel);
}

static void
expect_none(const char *rel, void *arg)
{
	(void)arg;
	fail_msg("make uninstall left %s behind", rel);
}

/* Reads a whole file into a new buffer (at most ELF_MAX bytes). */
static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(ELF_MAX);

	assert_non_null(buf);
	if (f == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	*len = fread(buf, 1, ELF_MAX, f);
	assert_true(feof(f));
	fclose(f);
	return buf;
}

/* The file offset of virtual address v, from the PT_LOAD segments. */
static size_t
elf_offset(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh, uint64_t v)
{
	Elf64_Phdr ph;
	size_t i, at;

	for (i = 0; i < eh->e_phnum; i++) {
		at = (size_t)eh->e_phoff + i * sizeof(ph);
		assert_true(at + sizeof(ph) <= len);
		memcpy(&ph, buf + at, sizeof(ph));
		if (ph.p_type == PT_LOAD && v >= ph.p_vaddr &&
		    v < ph.p_vaddr + ph.p_filesz)
			return (size_t)(v - ph.p_vaddr + ph.p_offset);
	}
	fail_msg("address 0x%llx is in no loaded segment",
	    (unsigned long long)v);
	return 0;
}

/*
 * The dynamic section of a 64-bit ELF file: its DT_SONAME (or "") and
 * whether it has DT_NEEDED `needed` (if not NULL). Enough of an ELF reader
 * for the files our own build made; anything unexpected fails the test.
 */
static void
elf_dynamic(const char *path, char *soname, size_t cap, const char *needed,
    bool *has_needed)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Dyn dyn;
	uint8_t *buf;
	size_t len, i, at, dyn_off = 0, dyn_size = 0, str = 0, name;
	bool found_dyn = false, found_str = false;
	uint64_t soname_at = UINT64_MAX;

	soname[0] = '\0';
	if (has_needed != NULL)
		*has_needed = false;
	buf = slurp(path, &len);
	assert_true(len >= sizeof(eh));
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		fail_msg("%s: not a 64-bit ELF file", path);
	for (i = 0; i < eh.e_phnum; i++) {
		at = (size_t)eh.e_phoff + i * sizeof(ph);
		assert_true(at + sizeof(ph) <= len);
		memcpy(&ph, buf + at, sizeof(ph));
		if (ph.p_type == PT_DYNAMIC) {
			dyn_off = (size_t)ph.p_offset;
			dyn_size = (size_t)ph.p_filesz;
			found_dyn = true;
		}
	}
	if (!found_dyn)
		fail_msg("%s: no dynamic section", path);
	assert_true(dyn_off + dyn_size <= len);
	for (at = dyn_off; at + sizeof(dyn) <= dyn_off + dyn_size;
	    at += sizeof(dyn)) {
		memcpy(&dyn, buf + at, sizeof(dyn));
		if (dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == DT_STRTAB) {
			str = elf_offset(buf, len, &eh, dyn.d_un.d_ptr);
			found_str = true;
		}
	}
	assert_true(found_str);
	for (at = dyn_off; at + sizeof(dyn) <= dyn_off + dyn_size;
	    at += sizeof(dyn)) {
		memcpy(&dyn, buf + at, sizeof(dyn));
		if (dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag != DT_SONAME && dyn.d_tag != DT_NEEDED)
			continue;
		name = str + (size_t)dyn.d_un.d_val;
		assert_true(name < len && memchr(buf + name, '\0',
		    len - name) != NULL);
		if (dyn.d_tag == DT_SONAME)
			soname_at = name;
		else if (needed != NULL &&
		    strcmp((const char *)buf + name, needed) == 0)
			*has_needed = true;
	}
	if (soname_at != UINT64_MAX)
		bprintf(soname, cap, "%s", (const char *)buf + soname_at);
	free(buf);
}

/* Copies the example's sources and Makefile (not what a build made). */
static void
copy_example(const char *to)
{
	static char text[FILECAP];
	char from[PATHCAP], dst[PATHCAP];
	const char *src = "examples/timeclock";
	struct dirent *e;
	size_t n, len, copied = 0;
	DIR *d = opendir(src);

	if (d == NULL)
		fail_msg("cannot open %s: %s", src, strerror(errno));
	assert_int_equal(mkdir(to, 0700), 0);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (strcmp(e->d_name, "vendor_keys.h") == 0 ||
		    (strcmp(e->d_name, "Makefile") != 0 && (n < 3 ||
		    (strcmp(e->d_name + n - 2, ".c") != 0 &&
		    strcmp(e->d_name + n - 2, ".h") != 0))))
			continue;
		bprintf(from, sizeof(from), "%s/%s", src, e->d_name);
		bprintf(dst, sizeof(dst), "%s/%s", to, e->d_name);
		len = read_file(from, text, sizeof(text));
		write_file(dst, text, len);
		copied++;
	}
	closedir(d);
	assert_true(copied >= 2U);
}

/*
 * The example, built against DESTDIR with its own Makefile (flags from
 * pkg-config only), run against the installed liblkey.so.
 */
static void
build_and_run_example(const struct fx *fx, const char *destdir,
    const char *const pcenv[])
{
	char src[PATHCAP], cwd[PATHCAP], pubkey[PATHCAP], keygen[PATHCAP],
	    prog[PATHCAP], data[PATHCAP], libpath[PATHCAP], key[KEYCAP],
	    soname[64];
	bool linked;
	struct result r;
	const char *make_argv[] = { "make", "--no-print-directory", "-C", src,
	    pubkey, keygen, "CPPFLAGS=-DLKEY_ALLOW_DEMO_KEY",
	    /*
	     * The ASan build's liblkey.so needs the sanitizer runtimes in
	     * the program that loads it: the one thing pkg-config cannot
	     * know, so it is given here.
	     */
	    ASAN_BUILD ? "CFLAGS=-O1 -g -fno-omit-frame-pointer "
	    "-fsanitize=address,undefined" : NULL, NULL };
	const char *run_env_ld[] = { libpath, NULL };
	const char *reg[] = { prog, "--data", data, "register", key, NULL };
	const char *lic[] = { prog, "--data", data, "licence", NULL };

	path_in(fx, "src", src, sizeof(src));
	copy_example(src);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	bprintf(pubkey, sizeof(pubkey), "PUBKEY=%s/%s", cwd, DEMO_PUB);
	bprintf(keygen, sizeof(keygen), "LKEY_KEYGEN=%s/usr/bin/lkey-keygen",
	    destdir);
	run_tool_ok("make -C examples/timeclock (installed lkey)", make_argv,
	    pcenv, &r);

	/* Linked to the installed shared library, by its soname. */
	bprintf(prog, sizeof(prog), "%s/timeclock", src);
	elf_dynamic(prog, soname, sizeof(soname), "liblkey.so.2", &linked);
	if (!linked)
		fail_msg("%s is not linked to liblkey.so.2", prog);

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "5", "--expires", "never", "--maintenance", "never",
	    NULL);
	path_in(fx, "data", data, sizeof(data));
	bprintf(libpath, sizeof(libpath), "LD_LIBRARY_PATH=%s/usr/lib",
	    destdir);
	run_tool_ok("timeclock register", reg, run_env_ld, &r);
	run_tool_ok("timeclock licence", lic, run_env_ld, &r);
	if (strstr(r.out, "Status:       valid\n") == NULL) {
		show("timeclock licence", &r);
		fail_msg("the example built against the installed lkey does "
		    "not find the key valid");
	}
}

/*
 * A program built in one command, `cc NAME.c $(pkg-config FLAGS)`, and
 * run. Statically linked (want_static), it defines LKEY_STATIC, has no
 * DT_NEEDED liblkey.so.2, ldd lists no liblkey, and it runs with no
 * LD_LIBRARY_PATH pointing into DESTDIR; linked to the shared library, it
 * needs liblkey.so.2 and runs with LD_LIBRARY_PATH.
 */
static void
build_and_run(const struct fx *fx, const char *destdir,
    const char *const pcenv[], const char *name, const char *flags,
    bool want_static)
{
	static const char program[] =
	    "#include <stdio.h>\n"
	    "#include <lkey.h>\n"
	    "int main(void) {\n"
	    "#ifdef LKEY_STATIC\n"
	    "\tconst char *how = \"static\";\n"
	    "#else\n"
	    "\tconst char *how = \"shared\";\n"
	    "#endif\n"
	    "\tprintf(\"%s %s\\n\", lkey_status_name(LKEY_OK), how);\n"
	    "\treturn 0;\n"
	    "}\n";
	char src[PATHCAP], prog[PATHCAP], cmd[4 * PATHCAP], what[PATHCAP],
	    libpath[PATHCAP], file[64], soname[64];
	bool linked;
	struct result r;
	const char *sh[] = { "sh", "-c", cmd, NULL };
	const char *run_prog[] = { prog, NULL };
	const char *ldd[] = { "ldd", prog, NULL };
	const char *run_env_ld[] = { libpath, NULL };

	bprintf(file, sizeof(file), "%s.c", name);
	path_in(fx, file, src, sizeof(src));
	path_in(fx, name, prog, sizeof(prog));
	write_file(src, program, sizeof(program) - 1U);
	bprintf(cmd, sizeof(cmd), "cc %s -o '%s' '%s' $(pkg-config %s)",
	    ASAN_BUILD ? "-fsanitize=address,undefined" : "", prog, src,
	    flags);
	bprintf(what, sizeof(what), "cc %s $(pkg-config %s)", file, flags);
	run_tool_ok(what, sh, pcenv, &r);

	elf_dynamic(prog, soname, sizeof(soname), "liblkey.so.2", &linked);
	if (want_static && linked)
		fail_msg("%s: the program needs liblkey.so.2", what);
	if (!want_static && !linked)
		fail_msg("%s: the program does not need liblkey.so.2", what);
	run_tool(ldd, NULL, NULL, 0, &r);
	if (r.code == 127 && strstr(r.err, "proc: cannot run") != NULL)
		print_message("ldd not installed: not run on %s\n", prog);
	else if (want_static && strstr(r.out, "liblkey") != NULL) {
		show("ldd", &r);
		fail_msg("%s: ldd lists liblkey", what);
	}

	bprintf(libpath, sizeof(libpath), "LD_LIBRARY_PATH=%s/usr/lib",
	    destdir);
	run_tool_ok(what, run_prog, want_static ? NULL : run_env_ld, &r);
	assert_string_equal(r.out, want_static ? "valid static\n" :
	    "valid shared\n");
}

/*
 * The macOS branch of the Makefile, as make -n prints it: a .dylib with
 * an install name and versions, and none of the ELF-only flags.
 */
static void
test_darwin_commands(void **state)
{
	const struct fx *fx = *state;
	char b[PATHCAP], target[PATHCAP], dir[PATHCAP];
	const char *argv[] = { "make", "-n", "--no-print-directory",
	    "UNAME_S=Darwin", b, target, NULL };
	struct result r;

	path_in(fx, "darwin", dir, sizeof(dir));
	bprintf(b, sizeof(b), "B=%s", dir);
	bprintf(target, sizeof(target), "%s/liblkey.2.0.0.dylib", dir);
	run_tool_ok("make -n UNAME_S=Darwin", argv, NULL, &r);
	assert_non_null(strstr(r.out, " -dynamiclib "));
	assert_non_null(strstr(r.out,
	    "-Wl,-install_name,/usr/local/lib/liblkey.2.dylib"));
	assert_non_null(strstr(r.out, "-Wl,-compatibility_version,2.0.0"));
	assert_non_null(strstr(r.out, "-Wl,-current_version,2.0.0"));
	assert_non_null(strstr(r.out, "ln -sf liblkey.2.dylib "));
	assert_null(strstr(r.out, "-Wl,-z"));
	assert_null(strstr(r.out, "-soname"));
	assert_null(strstr(r.out, "-shared"));
	assert_null(strstr(r.out, "liblkey.so"));
}

/*
 * The lkey.pc that make writes for macOS: LKEY_STATIC for --static, but
 * none of -Bstatic and -Bdynamic, which Apple's linker does not have.
 */
static void
test_darwin_pc(void **state)
{
	const struct fx *fx = *state;
	static char text[FILECAP];
	char b[PATHCAP], target[PATHCAP], dir[PATHCAP], *line, *next;
	const char *argv[] = { "make", "--no-print-directory", "UNAME_S=Darwin",
	    b, target, NULL };
	struct result r;

	path_in(fx, "darwin-pc", dir, sizeof(dir));
	bprintf(b, sizeof(b), "B=%s", dir);
	bprintf(target, sizeof(target), "%s/lkey.pc", dir);
	run_tool_ok("make UNAME_S=Darwin lkey.pc", argv, NULL, &r);
	read_file(target, text, sizeof(text));
	assert_contains(text, "\nCflags.private: -DLKEY_STATIC\n");
	assert_contains(text, "\nLibs: -L${libdir} -llkey\n");
	assert_contains(text, "\nLibs.private: -lb64\n");
	/* Outside the comments (which say why). */
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (line[0] == '#')
			continue;
		if (strstr(line, "-Bstatic") != NULL ||
		    strstr(line, "-Bdynamic") != NULL ||
		    strchr(line, '@') != NULL)
			fail_msg("the macOS lkey.pc has \"%s\"", line);
	}
}

/* ---- the test ----------------------------------------------------------- */

static void
test_install_uninstall(void **state)
{
	const struct fx *fx = *state;
	static char a[FILECAP], b[FILECAP];
	char destdir[PATHCAP], path[PATHCAP], target[PATHCAP], pcpath[PATHCAP],
	    sysroot[PATHCAP], want[PATHCAP], soname[64];
	const char *const pcenv[] = { pcpath, sysroot, NULL };
	const char *modversion[] = { "pkg-config", "--modversion", "lkey",
	    NULL };
	const char *flags[] = { "pkg-config", "--cflags", "--libs", "lkey",
	    NULL };
	const char *statics[] = { "pkg-config", "--static", "--cflags",
	    "--libs", "lkey", NULL };
	struct result r;
	struct stat st;
	ssize_t n;
	size_t i;

	path_in(fx, "destdir", destdir, sizeof(destdir));
	make_target(fx, "install", destdir);

	/* Exactly these files, with these modes and links. */
	for (i = 0; i < TREE_N; i++) {
		bprintf(path, sizeof(path), "%s/%s", destdir, tree[i].path);
		if (lstat(path, &st) != 0)
			fail_msg("make install did not install %s",
			    tree[i].path);
		if (tree[i].mode == 0) {
			assert_true(S_ISLNK(st.st_mode));
			n = readlink(path, target, sizeof(target) - 1U);
			assert_true(n > 0);
			target[n] = '\0';
			assert_string_equal(target, tree[i].target);
			assert_int_equal(stat(path, &st), 0);
		} else if (!S_ISREG(st.st_mode) ||
		    (st.st_mode & 07777) != tree[i].mode)
			fail_msg("%s: mode %04o, expected a file of mode %04o",
			    tree[i].path, (unsigned)(st.st_mode & 07777),
			    (unsigned)tree[i].mode);
	}
	walk(destdir, "", expect_listed, NULL);
	bprintf(path, sizeof(path), "%s/usr/include/lkey.h", destdir);
	read_file(path, a, sizeof(a));
	read_file("include/lkey.h", b, sizeof(b));
	assert_string_equal(a, b);

	bprintf(path, sizeof(path), "%s/usr/lib/liblkey.so.2.0.0", destdir);
	elf_dynamic(path, soname, sizeof(soname), NULL, NULL);
	assert_string_equal(soname, "liblkey.so.2");

	/* pkg-config, as a build against the staged tree runs it. */
	bprintf(pcpath, sizeof(pcpath), "PKG_CONFIG_PATH=%s/usr/lib/pkgconfig",
	    destdir);
	bprintf(sysroot, sizeof(sysroot), "PKG_CONFIG_SYSROOT_DIR=%s",
	    destdir);
	run_tool_ok("pkg-config --modversion lkey", modversion, pcenv, &r);
	assert_string_equal(r.out, LKEY_VERSION_STRING "\n");
	run_tool_ok("pkg-config --cflags --libs lkey", flags, pcenv, &r);
	bprintf(want, sizeof(want), "-I%s/usr/include", destdir);
	assert_non_null(strstr(r.out, want));
	bprintf(want, sizeof(want), "-L%s/usr/lib -llkey", destdir);
	assert_non_null(strstr(r.out, want));
	assert_null(strstr(r.out, "-lb64"));	/* private: static only */
	run_tool_ok("pkg-config --static --cflags --libs lkey", statics, pcenv,
	    &r);
	/* -llkey between -Bstatic and -Bdynamic: liblkey.a, then shared. */
	bprintf(want, sizeof(want), "-I%s/usr/include -DLKEY_STATIC "
	    "-Wl,-Bstatic -L%s/usr/lib -llkey -Wl,-Bdynamic -lb64 ", destdir,
	    destdir);
	if (strncmp(r.out, want, strlen(want)) != 0)
		fail_msg("pkg-config --static --cflags --libs lkey: \"%s\", "
		    "expected it to start \"%s\"", r.out, want);
	assert_non_null(strstr(r.out, "-lsodium"));
	bprintf(path, sizeof(path), "%s/usr/lib/pkgconfig/lkey.pc", destdir);
	read_file(path, a, sizeof(a));
	assert_non_null(strstr(a, "\nprefix=/usr\n"));

	build_and_run_example(fx, destdir, pcenv);
	build_and_run(fx, destdir, pcenv, "static",
	    "--static --cflags --libs lkey", true);
	build_and_run(fx, destdir, pcenv, "static-module",
	    "--static --cflags --libs lkey-static", true);
	build_and_run(fx, destdir, pcenv, "shared", "--cflags --libs lkey",
	    false);

	make_target(fx, "uninstall", destdir);
	walk(destdir, "", expect_none, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_uninstall),
		cmocka_unit_test(test_darwin_commands),
		cmocka_unit_test(test_darwin_pc),
	};

	/* A surrounding make's jobserver and options must not reach ours. */
	(void)unsetenv("MAKEFLAGS");
	(void)unsetenv("MAKELEVEL");
	(void)unsetenv("MFLAGS");
	return cmocka_run_group_tests_name("pkgconfig", tests, proc_setup,
	    proc_teardown);
}
