/* zlib itself, for test oracles that must not go through the product's gzip wrapper. */
#include <zlib.h>
