#include "cheap.h"

#if defined(__linux__)
#include <malloc.h>
#endif

#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD) && defined(M_TOP_PAD)
int cheap_keep_heap(size_t mmap_threshold, size_t trim_threshold, size_t top_pad) {
    int mmap_set = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    int trim_set = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
    int pad_set = mallopt(M_TOP_PAD, (int)top_pad);
    return mmap_set == 1 && trim_set == 1 && pad_set == 1;
}
#else
int cheap_keep_heap(size_t mmap_threshold, size_t trim_threshold, size_t top_pad) {
    (void)mmap_threshold;
    (void)trim_threshold;
    (void)top_pad;
    return 0;
}
#endif
