/* Reading the trials JSON of the public API in tests: jansson after turning
 * Python's bare NaN/Infinity tokens into strings it can hold. */
#ifndef TRIALS_JSON_READER_H
#define TRIALS_JSON_READER_H

#include <jansson.h>
#include <stdint.h>

/* Parses text (NaN/Infinity tokens allowed); NULL if it is not JSON. */
json_t *tjr_parse(const char *text);

/* A number, or one of the strings "NaN", "Infinity", "-Infinity" that
 * tjr_parse made of the bare tokens.  Fails the test on anything else. */
double tjr_number(const json_t *v);

/* The trial object with this number in a trials array, or NULL. */
json_t *tjr_trial(const json_t *trials, int64_t number);

/* Shorthands for trial fields. */
const char *tjr_state(const json_t *trial);
json_t *tjr_param(const json_t *trial, const char *name);
json_t *tjr_distribution_attr(const json_t *trial, const char *name, const char *attr);
size_t tjr_n_params(const json_t *trial);

#endif
