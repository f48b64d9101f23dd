/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Counts in all of a guest's RAM, read through /proc/kcore, the places
 * where HEAD is directly followed by TAIL. The two halves come apart so
 * that this program's own memory (its arguments) never holds what it looks
 * for; its read buffer is zeroed before it exits, so a later scan does not
 * find what this one read. Built static for the kernel suite's initramfs.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static unsigned long
scan_segment(int fd, const Elf64_Phdr *ph, char *buf, const char *head, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail), len = hl + tl;
	unsigned long found = 0;

	for (uint64_t at = 0; at < ph->p_filesz; at += CHUNK) {
		size_t want = CHUNK + len - 1;
		ssize_t n;
		if (want > ph->p_filesz - at)
			want = ph->p_filesz - at;
		n = pread(fd, buf, want, (off_t)(ph->p_offset + at));
		if (n <= 0)
			continue;
		for (char *p = buf; (p = memmem(p, buf + n - p, head, hl)) != NULL; p++) {
			if (p - buf >= CHUNK)
				break;
			if (p + len <= buf + n && memcmp(p + hl, tail, tl) == 0)
				found++;
		}
	}
	return found;
}

int
main(int argc, char **argv)
{
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	unsigned long found = 0;
	char *buf;
	int fd;

	if (argc != 3 || !argv[1][0] || !argv[2][0]) {
		fprintf(stderr, "usage: kcore-scan HEAD TAIL\n");
		return 2;
	}
	fd = open("/proc/kcore", O_RDONLY);
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64) {
		perror("kcore-scan: /proc/kcore is no 64-bit ELF core");
		return 2;
	}
	ph = calloc(eh.e_phnum, sizeof(*ph));
	buf = malloc(CHUNK + strlen(argv[1]) + strlen(argv[2]));
	if (!ph || !buf ||
	    pread(fd, ph, eh.e_phnum * sizeof(*ph), (off_t)eh.e_phoff) !=
		(ssize_t)(eh.e_phnum * sizeof(*ph))) {
		fprintf(stderr, "kcore-scan: cannot read the program headers\n");
		return 2;
	}
	/* RAM (and the kernel's text) has a physical address, other segments none */
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_paddr != (Elf64_Addr)-1)
			found += scan_segment(fd, &ph[i], buf, argv[1], argv[2]);
	}
	explicit_bzero(buf, CHUNK + strlen(argv[1]) + strlen(argv[2]));
	printf("%lu\n", found);
	return 0;
}
