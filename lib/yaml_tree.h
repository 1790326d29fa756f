/* A small, typed YAML tree with source positions: what igmopt_config reads
 * instead of a Python dict.  Scalars are resolved the way PyYAML's
 * safe_load does (YAML 1.1: yes/no/on/off are bools, 0x1A and 010 are
 * ints), so a file means the same to IGM and to igmopt. */
#ifndef IGM_YAML_TREE_H
#define IGM_YAML_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

typedef enum igm_yaml_type {
    IGM_YAML_NULL = 0,
    IGM_YAML_BOOL,
    IGM_YAML_INT,
    IGM_YAML_FLOAT,
    IGM_YAML_STRING,
    IGM_YAML_SEQUENCE,
    IGM_YAML_MAPPING
} igm_yaml_type;

typedef struct igm_yaml_node {
    igm_yaml_type type;
    int line;     /* 1-based position in the file */
    int column;
    char *origin; /* NULL: from the file; else where it came from instead,
                     e.g. "command line: n_jobs=4" */
    char *text;   /* scalars: the text as written (keys are looked up by it) */
    int boolean;
    int64_t integer;
    int big;       /* an int beyond int64_t: only text holds it (integer and
                      number are 0) */
    double number; /* floats; ints too, converted */
    size_t n;      /* items of a sequence, or entries of a mapping */
    size_t cap;    /* allocated room in items (and keys) */
    struct igm_yaml_node **items; /* sequence items, or mapping values */
    struct igm_yaml_node **keys;  /* mapping keys (always scalars) */
} igm_yaml_node;

/* Loads one YAML document.  `name` is used in messages ("name:line:col:").
 * With origin non-NULL, every node gets a copy of it and messages start
 * with it instead of positions (used for command-line values).  An empty
 * document gives a NULL-typed node.  Errors are IGMOPT_ECONFIG. */
int igm_yaml_load_buffer(const char *text, size_t len, const char *name, const char *origin,
                         igm_yaml_node **out);
int igm_yaml_load_file(const char *path, igm_yaml_node **out);

igm_yaml_node *igm_yaml_node_new(igm_yaml_type type, const char *origin);
/* Deep copy; NULL when out of memory. */
igm_yaml_node *igm_yaml_copy(const igm_yaml_node *node);
void igm_yaml_free(igm_yaml_node *node);

/* The value under key in a mapping (NULL if absent); *key_node, if given,
 * receives the key itself (for its line). */
igm_yaml_node *igm_yaml_get(const igm_yaml_node *map, const char *key,
                            igm_yaml_node **key_node);
/* Appends an entry / item (takes ownership); IGMOPT_ENOMEM on failure,
 * and then the caller still owns the nodes. */
int igm_yaml_map_append(igm_yaml_node *map, igm_yaml_node *key, igm_yaml_node *value);
int igm_yaml_seq_append(igm_yaml_node *seq, igm_yaml_node *item);

/* The node as JSON text in json.dumps form (mapping keys as strings). */
void igm_yaml_to_json(igm_strbuf *sb, const igm_yaml_node *node);

/* Resolves a plain (unquoted, untagged) scalar's text into node's type and
 * value, with PyYAML's YAML 1.1 rules.  An int outside int64_t is an int
 * marked big (PyYAML makes a Python int of any size). */
void igm_yaml_resolve_plain(igm_yaml_node *node);
/* Applies an explicit standard tag (tag:yaml.org,2002:str|int|float|bool|
 * null).  Returns 0, or -1 when the text does not fit the tag. */
int igm_yaml_resolve_tagged(igm_yaml_node *node, const char *tag);
/* A big int's text (any YAML 1.1 form: sign, 0x/0b/0 prefix, underscores)
 * as decimal digits, as Python's str(int) writes it. */
void igm_yaml_append_big_int(igm_strbuf *sb, const char *text);

#endif
