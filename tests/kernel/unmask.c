// SPDX-License-Identifier: LGPL-2.1-or-later
/* stdin to stdout with every byte XOR 0xA5, a page at a time through one
 * buffer: the guest never holds a whole unmasked image of its own */
#include <unistd.h>

int
main(void)
{
	unsigned char buf[4096];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		ssize_t done = 0;
		for (ssize_t i = 0; i < n; i++)
			buf[i] ^= 0xA5;
		while (done < n) {
			ssize_t w = write(1, buf + done, n - done);
			if (w <= 0)
				return 1;
			done += w;
		}
	}
	return n < 0;
}
