/* Hydra command-line overrides (`key=value`) built from JSON values, in the
 * override grammar of Hydra >= 1.1 (hydra/grammar/OverrideLexer.g4). */
#ifndef IGM_HYDRA_OVERRIDE_H
#define IGM_HYDRA_OVERRIDE_H

#include "strbuf.h"

/* Appends s as a Hydra string value: bare when Hydra reads it back as the
 * same string, else single-quoted with Hydra's escapes. */
void igm_hydra_append_string(igm_strbuf *sb, const char *s);

/* Appends a JSON value (null, bool, number incl. NaN/Infinity tokens,
 * string, or a list/object of those) as a Hydra value: null, true/false,
 * numbers as written (so they round-trip), strings as above.
 * IGMOPT_EINVAL when value_json is not JSON. */
int igm_hydra_append_value(igm_strbuf *sb, const char *value_json);

/* "key=value" for one override; *out malloc'd. */
int igm_hydra_override(char **out, const char *key, const char *value_json);

#endif
