#include "ccurl.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode ccurl_setopt_xferinfo_callback(CURL *handle, ccurl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode ccurl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

int ccurl_gzip(const uint8_t *input, size_t input_length, int level, uint8_t **output,
               size_t *output_length) {
    /* libdeflate: whole-buffer DEFLATE, about twice as fast as zlib at the same level, and the
       same gzip (RFC 1952) stream on the wire. */
    struct libdeflate_compressor *compressor = libdeflate_alloc_compressor(level);
    if (compressor == NULL) {
        return Z_MEM_ERROR;
    }
    size_t bound = libdeflate_gzip_compress_bound(compressor, input_length);
    uint8_t *buffer = malloc(bound > 0 ? bound : 1);
    if (buffer == NULL) {
        libdeflate_free_compressor(compressor);
        return Z_MEM_ERROR;
    }
    size_t written = libdeflate_gzip_compress(compressor, input, input_length, buffer, bound);
    libdeflate_free_compressor(compressor);
    if (written == 0) {
        free(buffer);
        return Z_BUF_ERROR;
    }
    *output = buffer;
    *output_length = written;
    return 0;
}

int ccurl_gunzip(const uint8_t *input, size_t input_length, size_t max_output, uint8_t **output,
                 size_t *output_length) {
    z_stream stream;
    memset(&stream, 0, sizeof(stream));
    /* 15 window bits + 32 detects gzip or zlib headers. */
    int status = inflateInit2(&stream, 15 + 32);
    if (status != Z_OK) {
        return status;
    }
    size_t capacity = input_length * 4 + 1024;
    if (capacity > max_output + 1) {
        capacity = max_output + 1;
    }
    uint8_t *buffer = malloc(capacity);
    if (buffer == NULL) {
        inflateEnd(&stream);
        return Z_MEM_ERROR;
    }
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)input_length;
    size_t produced = 0;
    for (;;) {
        stream.next_out = buffer + produced;
        stream.avail_out = (uInt)(capacity - produced);
        status = inflate(&stream, Z_NO_FLUSH);
        produced = capacity - stream.avail_out;
        if (status == Z_STREAM_END) {
            break;
        }
        if (status != Z_OK && status != Z_BUF_ERROR) {
            free(buffer);
            inflateEnd(&stream);
            return status;
        }
        if (produced > max_output) {
            free(buffer);
            inflateEnd(&stream);
            return -100;
        }
        if (stream.avail_out == 0) {
            size_t next = capacity * 2;
            if (next > max_output + 1) {
                next = max_output + 1;
            }
            if (next <= capacity) {
                free(buffer);
                inflateEnd(&stream);
                return -100;
            }
            uint8_t *grown = realloc(buffer, next);
            if (grown == NULL) {
                free(buffer);
                inflateEnd(&stream);
                return Z_MEM_ERROR;
            }
            buffer = grown;
            capacity = next;
        } else if (stream.avail_in == 0) {
            free(buffer);
            inflateEnd(&stream);
            return Z_DATA_ERROR; /* truncated input */
        }
    }
    if (produced > max_output) {
        free(buffer);
        inflateEnd(&stream);
        return -100;
    }
    *output = buffer;
    *output_length = produced;
    inflateEnd(&stream);
    return 0;
}

void ccurl_free(void *pointer) {
    free(pointer);
}
