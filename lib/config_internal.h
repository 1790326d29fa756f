/* What the config_*.c files share: turning a YAML tree into the typed
 * struct igmopt_config, and the "FILE:LINE: key 'a.b': problem" locations
 * every message carries. */
#ifndef IGM_CONFIG_INTERNAL_H
#define IGM_CONFIG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "yaml_tree.h"

#define IGM_CONFIG_PATH_MAX 512

/* Where a value sits: the node a message points at (a mapping key, or a
 * list item) and its dotted key. */
typedef struct igm_config_loc {
    const char *file;
    const igm_yaml_node *at;
    char path[IGM_CONFIG_PATH_MAX];
} igm_config_loc;

/* One validation pass over a tree into cfg (whose path and base_dir are
 * set). */
typedef struct igm_config_build {
    igmopt_config *cfg;
    const igm_yaml_node *root;
} igm_config_build;

void igm_config_loc_key(igm_config_loc *child, const igm_config_loc *parent,
                        const igm_yaml_node *key);
void igm_config_loc_index(igm_config_loc *child, const igm_config_loc *parent, size_t index,
                          const igm_yaml_node *item);
/* The same place, one key deeper, still pointing at `at` (a missing key). */
void igm_config_loc_missing(igm_config_loc *child, const igm_config_loc *parent,
                            const char *key);
/* "FILE:LINE: key 'PATH': problem" (or "ORIGIN: key ...": command line). */
int igm_config_error(const igm_config_loc *loc, const char *fmt, ...) IGM_PRINTF(2, 3);
/* Repeats the library's last message at loc (for checks delegated to the
 * distribution, sampler and pruner constructors). */
int igm_config_error_from_last(const igm_config_loc *loc, int rc);
/* The kwarg a constructor's message blames ("<Class>: option 'eta' ...",
 * "<Class>: unknown option 'x'", "<Class>: reference_points[2] ..."), as
 * its key node in the method mapping v, or NULL. */
const igm_yaml_node *igm_config_blamed_kwarg(const igm_yaml_node *v, const char *message);

/* Every int in v (a scalar, or anything nested) fits in 64 bits: only an
 * override's value may be any size, since it is passed on as text. */
int igm_config_check_ints_fit(const igm_config_loc *loc, const igm_yaml_node *v);
/* The same, and every float in v is finite (sampler and pruner kwargs). */
int igm_config_check_option_numbers(const igm_config_loc *loc, const igm_yaml_node *v);
/* Typed readers: each checks the node and names what was found instead. */
int igm_config_read_string(const igm_config_loc *loc, const igm_yaml_node *v, char **out);
int igm_config_read_int(const igm_config_loc *loc, const igm_yaml_node *v, int64_t *out);
int igm_config_read_int_min(const igm_config_loc *loc, const igm_yaml_node *v, int64_t min,
                            int64_t *out);
int igm_config_read_number(const igm_config_loc *loc, const igm_yaml_node *v, double *out);
int igm_config_read_bool(const igm_config_loc *loc, const igm_yaml_node *v, int *out);
int igm_config_expect(const igm_config_loc *loc, const igm_yaml_node *v, igm_yaml_type type,
                      const char *what);
/* Unknown keys of a mapping are an error; `hint` says what it takes. */
int igm_config_check_keys(const igm_config_loc *loc, const igm_yaml_node *map,
                          const char *const *allowed, const char *hint);
/* The allowed word closest to `word` within two edits, or NULL. */
const char *igm_config_suggest(const char *word, const char *const *allowed);
/* "the string 'ten'", "the number 1.5", "a list", ... */
void igm_config_describe(const igm_yaml_node *v, char *buf, size_t size);

/* The sections with structure (config_params.c). */
int igm_config_read_objectives(igm_config_build *b, const igm_config_loc *loc,
                               const igm_yaml_node *v);
int igm_config_read_parameters(igm_config_build *b, const igm_config_loc *loc,
                               const igm_yaml_node *v);
int igm_config_read_overrides(igm_config_build *b, const igm_config_loc *loc,
                              const igm_yaml_node *v);
int igm_config_check_conflicts(igm_config_build *b, const igm_config_loc *root_loc);

/* Validates the whole tree into cfg's fields (cfg->path and base_dir must
 * be set, the other fields zero).  On error the fields are freed again. */
int igm_config_build_fields(igmopt_config *cfg, const igm_yaml_node *root);
/* Frees every field except path, base_dir and tree, and zeroes them. */
void igm_config_free_fields(igmopt_config *cfg);

/* Sets the value at a dotted key path (numeric parts index lists; keys of
 * `overrides` may contain dots), creating mapping entries on the way.
 * Takes ownership of value in every case. */
int igm_config_tree_set(igm_yaml_node *root, const char *key, igm_yaml_node *value,
                        const char *origin);

/* Removes the entry at a dotted key path (a mapping entry or list item). */
int igm_config_tree_remove(igm_yaml_node *root, const char *key, const char *origin);

/* Command-line overrides on a tree (config_set.c): the argument checks of
 * the public calls, every "key=value" / "~key" applied in order, the trial
 * command, and the message prefix ("command line: a=1 ~b") for a file value
 * that the overrides made wrong. */
int igm_config_check_override_args(const char *function, const char *const *key_values,
                                   size_t n);
int igm_config_check_command_args(const char *function, const char *const *argv, size_t argc);
int igm_config_tree_apply(igm_yaml_node *tree, const char *const *key_values, size_t n);
int igm_config_tree_set_command(igm_yaml_node *tree, const char *const *argv, size_t argc);
int igm_config_overrides_origin(const char *const *key_values, size_t n, char **out);
/* Prefixes the last message with origin unless it already names the
 * command line. Returns rc. */
int igm_config_blame_overrides(int rc, const char *origin);

#endif
