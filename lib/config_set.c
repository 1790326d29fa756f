/* Command-line overrides of the config ("key=value" and "~key", dotted
 * keys) and the trial command: they edit a copy of the YAML tree, which is
 * then validated once, so a rejected change leaves the config exactly as
 * it was. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "strbuf.h"

/* One dotted key split into parts, kept as offsets into the key text so
 * that several parts can be looked up together as one key with dots
 * (override keys and parameter names are Hydra paths). */
typedef struct key_parts {
    const char *text;
    size_t n;
    size_t *start, *len;
} key_parts;

static void key_parts_free(key_parts *k)
{
    free(k->start);
    free(k->len);
}

static int key_parts_split(key_parts *k, const char *key, const char *origin)
{
    size_t n = 1;
    *k = (key_parts){.text = key};
    for (const char *p = key; *p; p++)
        n += *p == '.';
    k->start = calloc(n, sizeof *k->start);
    k->len = calloc(n, sizeof *k->len);
    if (!k->start || !k->len)
        return igm_error_nomem();
    for (const char *p = key;; p++) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0)
            return igm_error(IGMOPT_ECONFIG, "%s: the key '%s' has an empty part", origin, key);
        k->start[k->n] = (size_t)(p - key);
        k->len[k->n++] = len;
        if (!dot)
            return IGMOPT_OK;
        p = dot;
    }
}

/* Parts first..last as written, dots included. */
static size_t span_length(const key_parts *k, size_t first, size_t last)
{
    return k->start[last] + k->len[last] - k->start[first];
}

static long find_key(const igm_yaml_node *map, const char *text, size_t len)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *key = map->keys[i]->text;
        if (strlen(key) == len && strncmp(key, text, len) == 0)
            return (long)i;
    }
    return -1;
}

/* The entry of map whose key is parts first..*last, for the largest *last
 * (so "a.b" is found as one key before "a" is tried). */
static long find_longest_key(const igm_yaml_node *map, const key_parts *k, size_t first,
                             size_t *last)
{
    for (size_t end = k->n; end-- > first;) {
        long found = find_key(map, k->text + k->start[first], span_length(k, first, end));
        if (found >= 0) {
            *last = end;
            return found;
        }
    }
    return -1;
}

static int parse_index(const key_parts *k, size_t part, size_t *index)
{
    const char *p = k->text + k->start[part];
    size_t value = 0;
    for (size_t i = 0; i < k->len[part]; i++) {
        if (!isdigit((unsigned char)p[i]) || value > 1000000)
            return -1;
        value = value * 10 + (size_t)(p[i] - '0');
    }
    *index = value;
    return 0;
}

/* The index of the entry that parts part..*last name in node, or -1. */
static long find_entry(const igm_yaml_node *node, const key_parts *k, size_t part,
                       int rest_is_one_key, size_t *last)
{
    size_t index;
    *last = part;
    if (node->type == IGM_YAML_MAPPING && rest_is_one_key) {
        *last = k->n - 1;
        return find_key(node, k->text + k->start[part], span_length(k, part, *last));
    }
    if (node->type == IGM_YAML_MAPPING)
        return find_longest_key(node, k, part, last);
    if (node->type == IGM_YAML_SEQUENCE && parse_index(k, part, &index) == 0 && index < node->n)
        return (long)index;
    return -1;
}

static igm_yaml_node *string_node(const char *text, size_t len, const char *origin)
{
    igm_yaml_node *node = igm_yaml_node_new(IGM_YAML_STRING, origin);
    if (node && !(node->text = strndup(text, len))) {
        igm_yaml_free(node);
        return NULL;
    }
    return node;
}

/* Adds key parts first..last to map with value (ownership taken). */
static int add_entry(igm_yaml_node *map, const key_parts *k, size_t first, size_t last,
                     igm_yaml_node *value, const char *origin)
{
    igm_yaml_node *key = string_node(k->text + k->start[first], span_length(k, first, last),
                                     origin);
    if (key && igm_yaml_map_append(map, key, value) == IGMOPT_OK)
        return IGMOPT_OK;
    igm_yaml_free(key);
    igm_yaml_free(value);
    return igm_error_nomem();
}

static void replace(igm_yaml_node **slot, igm_yaml_node *value)
{
    igm_yaml_free(*slot);
    *slot = value;
}

/* Messages about a key whose value came from the command line point there,
 * not at the file line of the old value. */
static int mark_key_as_set(igm_yaml_node *key, const char *origin)
{
    char *copy = strdup(origin);
    if (!copy)
        return igm_error_nomem();
    free(key->origin);
    key->origin = copy;
    return IGMOPT_OK;
}

static int set_error(const key_parts *k, size_t last, const char *origin, const char *what)
{
    return igm_error(IGMOPT_ECONFIG, "%s: key '%.*s': %s", origin,
                     (int)span_length(k, 0, last), k->text, what);
}

/* One step down a list: *node becomes the item, or value is stored. */
static int step_sequence(igm_yaml_node **node, const key_parts *k, size_t *part,
                         igm_yaml_node **value, const char *origin)
{
    igm_yaml_node *seq = *node;
    int is_last = *part + 1 == k->n;
    size_t index;
    char what[120];
    if (parse_index(k, *part, &index))
        return set_error(k, *part, origin, "a list is indexed by a number (0 for the first)");
    if (index > seq->n || (index == seq->n && !is_last)) {
        snprintf(what, sizeof what, "index out of range (the list has %zu item%s)", seq->n,
                 seq->n == 1 ? "" : "s");
        return set_error(k, *part, origin, what);
    }
    if (is_last && index == seq->n) {
        int rc = igm_yaml_seq_append(seq, *value);
        if (rc)
            return rc;
        *value = NULL;
    } else if (is_last) {
        replace(&seq->items[index], *value);
        *value = NULL;
    }
    *node = seq->items[index];
    (*part)++;
    return IGMOPT_OK;
}

/* One step down a mapping: *node becomes the value under the next key
 * (created if absent), or value is stored there.  Under the top-level
 * `overrides`, the rest of the key is one override key. */
static int step_mapping(igm_yaml_node **node, const key_parts *k, size_t *part,
                        igm_yaml_node **value, const char *origin, int rest_is_one_key)
{
    igm_yaml_node *map = *node;
    size_t last;
    long found = find_entry(map, k, *part, rest_is_one_key, &last);
    int rc;
    if (found >= 0 && last + 1 == k->n) {
        if ((rc = mark_key_as_set(map->keys[found], origin)))
            return rc;
        replace(&map->items[found], *value);
        *value = NULL;
    } else if (found < 0) {
        igm_yaml_node *child = last + 1 == k->n ? *value
                                                : igm_yaml_node_new(IGM_YAML_MAPPING, origin);
        if (last + 1 == k->n)
            *value = NULL;
        if (!child)
            return igm_error_nomem();
        if ((rc = add_entry(map, k, *part, last, child, origin)))
            return rc;
        found = (long)map->n - 1;
    }
    *node = map->items[found];
    *part = last + 1;
    return IGMOPT_OK;
}

/* Keys of the top-level `overrides` are Hydra paths: dots belong to them. */
static int is_overrides(const igm_yaml_node *root, const igm_yaml_node *node,
                        const key_parts *k, size_t part)
{
    return node != root && part == 1 && k->len[0] == strlen("overrides") &&
           strncmp(k->text, "overrides", k->len[0]) == 0;
}

static int descend(igm_yaml_node *root, const key_parts *k, igm_yaml_node **value,
                   const char *origin)
{
    igm_yaml_node *node = root;
    size_t part = 0;
    int rc = IGMOPT_OK;
    while (rc == IGMOPT_OK && part < k->n) {
        int under_overrides = is_overrides(root, node, k, part);
        if (node->type == IGM_YAML_NULL) {
            node->type = IGM_YAML_MAPPING; /* "pruner:" then pruner.method=... */
            free(node->text);
            node->text = NULL;
        }
        if (node->type == IGM_YAML_MAPPING)
            rc = step_mapping(&node, k, &part, value, origin, under_overrides);
        else if (node->type == IGM_YAML_SEQUENCE)
            rc = step_sequence(&node, k, &part, value, origin);
        else
            rc = set_error(k, part - 1, origin, "holds a single value, not a list or mapping");
    }
    return rc;
}

int igm_config_tree_set(igm_yaml_node *root, const char *key, igm_yaml_node *value,
                        const char *origin)
{
    key_parts k;
    int rc = key_parts_split(&k, key, origin);
    if (rc == IGMOPT_OK)
        rc = descend(root, &k, &value, origin);
    key_parts_free(&k);
    igm_yaml_free(value);
    return rc;
}

/* The collection holding the entry named by k, and the entry's index. */
static int locate(igm_yaml_node *root, const key_parts *k, const char *origin,
                  igm_yaml_node **parent, size_t *index)
{
    igm_yaml_node *node = root;
    size_t part = 0, last;
    for (;;) {
        long found = find_entry(node, k, part, is_overrides(root, node, k, part), &last);
        if (found < 0)
            return set_error(k, last, origin, "no such key to remove");
        if (last + 1 == k->n) {
            *parent = node;
            *index = (size_t)found;
            return IGMOPT_OK;
        }
        node = node->items[found];
        part = last + 1;
    }
}

static void remove_entry(igm_yaml_node *parent, size_t index)
{
    size_t tail = parent->n - index - 1;
    igm_yaml_free(parent->items[index]);
    memmove(parent->items + index, parent->items + index + 1, tail * sizeof *parent->items);
    if (parent->keys) {
        igm_yaml_free(parent->keys[index]);
        memmove(parent->keys + index, parent->keys + index + 1, tail * sizeof *parent->keys);
    }
    parent->n--;
}

int igm_config_tree_remove(igm_yaml_node *root, const char *key, const char *origin)
{
    igm_yaml_node *parent = NULL;
    size_t index = 0;
    key_parts k;
    int rc = key_parts_split(&k, key, origin);
    if (rc == IGMOPT_OK && (rc = locate(root, &k, origin, &parent, &index)) == IGMOPT_OK)
        remove_entry(parent, index);
    key_parts_free(&k);
    return rc;
}

#define COMMAND_LINE "command line: "

int igm_config_blame_overrides(int rc, const char *origin)
{
    if (rc != IGMOPT_ENOMEM &&
        strncmp(igm_error_message(), COMMAND_LINE, strlen(COMMAND_LINE)) != 0)
        igm_error_wrap(rc, "%s", origin);
    return rc;
}

/* Validates tree (ownership taken) and, if it is good, swaps it and its
 * fields into cfg.  A message about a value from the file (which only the
 * change made wrong) is prefixed with origin, the change. */
static int rebuild(igmopt_config *cfg, igm_yaml_node *tree, const char *origin)
{
    igmopt_config fresh = {.path = cfg->path, .base_dir = cfg->base_dir, .tree = tree};
    int rc = igm_config_build_fields(&fresh, tree);
    if (rc) {
        igm_yaml_free(tree);
        return igm_config_blame_overrides(rc, origin);
    }
    igm_config_free_fields(cfg);
    igm_yaml_free(cfg->tree);
    *cfg = fresh;
    return IGMOPT_OK;
}

/* Sets key to value (ownership taken) on a copy of cfg's tree. */
static int set_in_copy(igmopt_config *cfg, const char *key, igm_yaml_node *value,
                       const char *origin)
{
    igm_yaml_node *tree = igm_yaml_copy(cfg->tree);
    int rc;
    if (!tree) {
        igm_yaml_free(value);
        return igm_error_nomem();
    }
    if ((rc = igm_config_tree_set(tree, key, value, origin))) {
        igm_yaml_free(tree);
        return rc;
    }
    return rebuild(cfg, tree, origin);
}

/* Hydra's "~key": removes the entry (a key, or a list item). */
static int remove_key(igm_yaml_node *tree, const char *key, const char *origin)
{
    if (strchr(key, '='))
        return igm_error(IGMOPT_ECONFIG, "%s: '~key' removes a key and takes no value", origin);
    return igm_config_tree_remove(tree, key, origin);
}

static int set_key_value(igm_yaml_node *tree, const char *key_value, const char *origin)
{
    const char *eq = strchr(key_value, '=');
    igm_yaml_node *value;
    char *key;
    int rc;
    if (!eq)
        return igm_error(IGMOPT_ECONFIG, "%s: expected key=value", origin);
    if (eq == key_value)
        return igm_error(IGMOPT_ECONFIG, "%s: the key before '=' is empty", origin);
    if ((rc = igm_yaml_load_buffer(eq + 1, strlen(eq + 1), origin, origin, &value)))
        return rc;
    if (!(key = strndup(key_value, (size_t)(eq - key_value)))) {
        igm_yaml_free(value);
        return igm_error_nomem();
    }
    rc = igm_config_tree_set(tree, key, value, origin);
    free(key);
    return rc;
}

/* One "key=value" or "~key" on tree; nodes it adds remember where they
 * came from ("command line: key=value"). */
static int apply_override(igm_yaml_node *tree, const char *key_value)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *origin;
    int rc;
    igm_strbuf_appendf(&sb, COMMAND_LINE "%s", key_value);
    if ((rc = igm_strbuf_finish(&sb, &origin)))
        return rc;
    if (key_value[0] == '~')
        rc = remove_key(tree, key_value + 1, origin);
    else
        rc = set_key_value(tree, key_value, origin);
    free(origin);
    return rc;
}

/* "command line: a=1 ~b": what a message about the result as a whole
 * (a file line that no longer fits) is prefixed with. */
int igm_config_overrides_origin(const char *const *key_values, size_t n, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        igm_strbuf_appendf(&sb, "%s%s", i ? " " : COMMAND_LINE, key_values[i]);
    return igm_strbuf_finish(&sb, out);
}

int igm_config_check_override_args(const char *function, const char *const *key_values,
                                   size_t n)
{
    if (!key_values && n)
        return igm_error(IGMOPT_EINVAL, "%s: key_values must not be NULL", function);
    for (size_t i = 0; i < n; i++)
        if (!key_values[i])
            return igm_error(IGMOPT_EINVAL, "%s: key_values[%zu] is NULL", function, i);
    return IGMOPT_OK;
}

int igm_config_tree_apply(igm_yaml_node *tree, const char *const *key_values, size_t n)
{
    int rc = IGMOPT_OK;
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++)
        rc = apply_override(tree, key_values[i]);
    return rc;
}

/* As Hydra: every override is applied, then the result is checked once,
 * so their order does not matter (parameters.0.log=true then
 * parameters.0.low=0.1). */
IGMOPT_API int igmopt_config_set_many(igmopt_config *cfg, const char *const *key_values,
                                      size_t n)
{
    igm_yaml_node *tree;
    char *origin;
    int rc;
    if (!cfg)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_set_many: cfg must not be NULL");
    if ((rc = igm_config_check_override_args("igmopt_config_set_many", key_values, n)))
        return rc;
    if (!(tree = igm_yaml_copy(cfg->tree)))
        return igm_error_nomem();
    rc = igm_config_tree_apply(tree, key_values, n);
    if (rc == IGMOPT_OK &&
        (rc = igm_config_overrides_origin(key_values, n, &origin)) == IGMOPT_OK) {
        rc = rebuild(cfg, tree, origin);
        free(origin);
        return rc;
    }
    igm_yaml_free(tree);
    return rc;
}

IGMOPT_API int igmopt_config_set(igmopt_config *cfg, const char *key_value)
{
    if (!cfg || !key_value)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_set: cfg and key_value must not be NULL");
    return igmopt_config_set_many(cfg, &key_value, 1);
}

static int command_node(igm_yaml_node **out, const char *const *argv, size_t argc,
                        const char *origin)
{
    igm_yaml_node *seq = igm_yaml_node_new(IGM_YAML_SEQUENCE, origin);
    *out = NULL;
    if (!seq)
        return igm_error_nomem();
    for (size_t i = 0; i < argc; i++) {
        igm_yaml_node *arg = string_node(argv[i], strlen(argv[i]), origin);
        if (!arg || igm_yaml_seq_append(seq, arg)) {
            igm_yaml_free(arg);
            igm_yaml_free(seq);
            return igm_error_nomem();
        }
    }
    *out = seq;
    return IGMOPT_OK;
}

#define COMMAND_ORIGIN COMMAND_LINE "the trial command"

int igm_config_check_command_args(const char *function, const char *const *argv, size_t argc)
{
    if (!argv || argc == 0)
        return igm_error(IGMOPT_EINVAL, "%s: argv must hold at least the program", function);
    for (size_t i = 0; i < argc; i++)
        if (!argv[i])
            return igm_error(IGMOPT_EINVAL, "%s: argv[%zu] is NULL", function, i);
    return IGMOPT_OK;
}

int igm_config_tree_set_command(igm_yaml_node *tree, const char *const *argv, size_t argc)
{
    igm_yaml_node *seq;
    int rc = command_node(&seq, argv, argc, COMMAND_ORIGIN);
    return rc ? rc : igm_config_tree_set(tree, "command", seq, COMMAND_ORIGIN);
}

IGMOPT_API int igmopt_config_set_command(igmopt_config *cfg, const char *const *argv,
                                         size_t argc)
{
    igm_yaml_node *seq;
    int rc;
    if (!cfg)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_set_command: cfg must not be NULL");
    if ((rc = igm_config_check_command_args("igmopt_config_set_command", argv, argc)) ||
        (rc = command_node(&seq, argv, argc, COMMAND_ORIGIN)))
        return rc;
    return set_in_copy(cfg, "command", seq, COMMAND_ORIGIN);
}
