#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

/* Swift cannot call C variadic functions, so each curl_easy_setopt/getinfo argument type gets a
   fixed-signature wrapper. Nothing else lives here: all logic stays in Swift. */

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *userdata);
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback callback);
CURLcode ccurl_setopt_xferinfo_callback(CURL *handle, ccurl_xferinfo_callback callback);

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value);

/* gzip (RFC 1952) of a whole buffer, with libdeflate at `level` (1-9 as zlib's levels). On success
   returns 0 and sets *output (free with ccurl_free) and *output_length; on failure returns a zlib
   error code (Z_MEM_ERROR, Z_BUF_ERROR). */
int ccurl_gzip(const uint8_t *input, size_t input_length, int level, uint8_t **output,
               size_t *output_length);
/* Inflates gzip or zlib data, refusing to produce more than max_output bytes (returns -100). */
int ccurl_gunzip(const uint8_t *input, size_t input_length, size_t max_output, uint8_t **output,
                 size_t *output_length);
void ccurl_free(void *pointer);

#endif
