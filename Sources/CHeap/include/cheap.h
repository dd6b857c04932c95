#ifndef CHEAP_H
#define CHEAP_H

#include <stddef.h>

/* glibc's malloc settings, for a process whose heap climbs to a plateau and stays there. mallopt
   is not in Swift's Glibc module, so this is its one caller. Each argument is in bytes; the
   return value is 1 when glibc took all three, 0 otherwise (or when the C library is not glibc). */
int cheap_keep_heap(size_t mmap_threshold, size_t trim_threshold, size_t top_pad);

#endif
