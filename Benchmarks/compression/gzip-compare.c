/*
 * gzip-compare: CPU time and size of gzip level 1 by zlib (as Sources/CCurl/ccurl.c compresses
 * bulk bodies: deflateInit2, 15 + 16 window bits, one deflate(Z_FINISH)) and by libdeflate, over
 * the same bodies. Answers the "measure libdeflate against zlib level 1" with figures.
 *
 *   cc -O2 -o gzip-compare gzip-compare.c -lz -ldeflate
 *   ./gzip-compare BODIES.ndjson [documents per body, default 1000] [rounds, default 5]
 *
 * BODIES.ndjson: one document per line (e.g. `mimecast-shipper run --sample --dry-run` output, or
 * a replay's); each body is `documents` lines, as the sink batches them. Every output is checked by
 * inflating it with zlib and comparing with the input.
 */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t zlib_gzip(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
    z_stream s;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    s.next_in = (Bytef *)in; s.avail_in = (uInt)n; s.next_out = out; s.avail_out = (uInt)cap;
    int rc = deflate(&s, Z_FINISH);
    size_t total = s.total_out;
    deflateEnd(&s);
    return rc == Z_STREAM_END ? total : 0;
}

static int inflates_to(const unsigned char *gz, size_t n, const unsigned char *expected, size_t m) {
    unsigned char *buf = malloc(m + 1);
    z_stream s;
    memset(&s, 0, sizeof s);
    inflateInit2(&s, 15 + 32);
    s.next_in = (Bytef *)gz; s.avail_in = (uInt)n; s.next_out = buf; s.avail_out = (uInt)(m + 1);
    int rc = inflate(&s, Z_FINISH);
    int ok = rc == Z_STREAM_END && s.total_out == m && memcmp(buf, expected, m) == 0;
    inflateEnd(&s);
    free(buf);
    return ok;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: gzip-compare BODIES.ndjson [docs per body] [rounds]\n"); return 2; }
    int per_body = argc > 2 ? atoi(argv[2]) : 1000, rounds = argc > 3 ? atoi(argv[3]) : 5;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc(size);
    if (fread(data, 1, size, f) != (size_t)size) { perror("read"); return 2; }
    fclose(f);
    /* Body boundaries every per_body lines. */
    size_t cap = 64, count = 0, *ends = malloc(cap * sizeof *ends);
    int lines = 0;
    for (long i = 0; i < size; i++) {
        if (data[i] == '\n' && ++lines == per_body) {
            if (count == cap) ends = realloc(ends, (cap *= 2) * sizeof *ends);
            ends[count++] = i + 1; lines = 0;
        }
    }
    if (lines > 0) { if (count == cap) ends = realloc(ends, (cap + 1) * sizeof *ends); ends[count++] = size; }
    unsigned char *out = malloc(size + size / 10 + 1024);
    struct libdeflate_compressor *levels[3] = {
        libdeflate_alloc_compressor(1), libdeflate_alloc_compressor(4), libdeflate_alloc_compressor(6) };
    const char *names[4] = { "zlib level 1 (shipped)", "libdeflate level 1", "libdeflate level 4", "libdeflate level 6" };
    for (int method = 0; method < 4; method++) {
        size_t compressed = 0; double spent = 0;
        for (int r = 0; r < rounds; r++) {
            size_t start = 0;
            for (size_t b = 0; b < count; b++) {
                size_t n = ends[b] - start, got;
                double t0 = cpu_seconds();
                if (method == 0) got = zlib_gzip(data + start, n, out, size + size / 10 + 1024);
                else got = libdeflate_gzip_compress(levels[method - 1], data + start, n, out, size + size / 10 + 1024);
                spent += cpu_seconds() - t0;
                if (got == 0 || !inflates_to(out, got, data + start, n)) { fprintf(stderr, "%s: bad output\n", names[method]); return 1; }
                if (r == 0) compressed += got;
                start = ends[b];
            }
        }
        printf("%-24s %8.1f MB/s CPU  ratio %5.2f  (%ld bytes in %zu bodies, %d rounds)\n", names[method],
               (double)size * rounds / spent / 1e6, (double)size / compressed, size, count, rounds);
    }
    return 0;
}
