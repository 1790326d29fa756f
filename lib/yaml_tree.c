/* Loading YAML into an igm_yaml_node tree with libyaml's event parser,
 * keeping every node's line and column, refusing duplicate keys, and
 * expanding aliases as copies (within a node budget, so a "billion laughs"
 * file fails instead of eating the memory). */
#include "yaml_tree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "error.h"

#define YAML_DEPTH_MAX 64
#define YAML_NODES_MAX 100000
#define YAML_FILE_MAX (16u << 20)
#define COMPONENT_MAX 128
#define PATH_MAX_TEXT 512

typedef struct frame {
    igm_yaml_node *node;
    igm_yaml_node *pending_key; /* mappings: a key still waiting for its value */
    char *anchor;               /* registered when the collection closes */
    char component[COMPONENT_MAX]; /* this collection's key or index in its parent */
} frame;

typedef struct anchor_entry {
    char *name;
    const igm_yaml_node *node;
} anchor_entry;

typedef struct builder {
    const char *name;
    const char *origin;
    frame stack[YAML_DEPTH_MAX];
    size_t depth;
    igm_yaml_node *root;
    anchor_entry *anchors;
    size_t n_anchors;
    size_t n_nodes;
    int documents;
} builder;

/* ---- nodes ---------------------------------------------------------- */

igm_yaml_node *igm_yaml_node_new(igm_yaml_type type, const char *origin)
{
    igm_yaml_node *node = calloc(1, sizeof *node);
    if (!node)
        return NULL;
    node->type = type;
    if (origin && !(node->origin = strdup(origin))) {
        free(node);
        return NULL;
    }
    return node;
}

void igm_yaml_free(igm_yaml_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n; i++) {
        igm_yaml_free(node->items[i]);
        if (node->keys)
            igm_yaml_free(node->keys[i]);
    }
    free(node->items);
    free(node->keys);
    free(node->text);
    free(node->origin);
    free(node);
}

static int grow_entries(igm_yaml_node *node, int with_keys)
{
    size_t cap = node->cap ? node->cap * 2 : 4;
    igm_yaml_node **items, **keys;
    if (node->n < node->cap)
        return IGMOPT_OK;
    if (!(items = realloc(node->items, cap * sizeof *items)))
        return igm_error_nomem();
    node->items = items;
    if (with_keys) {
        if (!(keys = realloc(node->keys, cap * sizeof *keys)))
            return igm_error_nomem();
        node->keys = keys;
    }
    node->cap = cap;
    return IGMOPT_OK;
}

int igm_yaml_seq_append(igm_yaml_node *seq, igm_yaml_node *item)
{
    int rc = grow_entries(seq, 0);
    if (rc)
        return rc;
    seq->items[seq->n++] = item;
    return IGMOPT_OK;
}

int igm_yaml_map_append(igm_yaml_node *map, igm_yaml_node *key, igm_yaml_node *value)
{
    int rc = grow_entries(map, 1);
    if (rc)
        return rc;
    map->keys[map->n] = key;
    map->items[map->n++] = value;
    return IGMOPT_OK;
}

igm_yaml_node *igm_yaml_get(const igm_yaml_node *map, const char *key, igm_yaml_node **key_node)
{
    if (map->type != IGM_YAML_MAPPING)
        return NULL;
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp(map->keys[i]->text, key) == 0) {
            if (key_node)
                *key_node = map->keys[i];
            return map->items[i];
        }
    }
    return NULL;
}

static int copy_children(igm_yaml_node *copy, const igm_yaml_node *node)
{
    for (size_t i = 0; i < node->n; i++) {
        igm_yaml_node *item = igm_yaml_copy(node->items[i]);
        igm_yaml_node *key = node->keys ? igm_yaml_copy(node->keys[i]) : NULL;
        int rc = IGMOPT_ENOMEM;
        if (item && (key || !node->keys))
            rc = node->keys ? igm_yaml_map_append(copy, key, item)
                            : igm_yaml_seq_append(copy, item);
        if (rc) {
            igm_yaml_free(item);
            igm_yaml_free(key);
            return rc;
        }
    }
    return IGMOPT_OK;
}

igm_yaml_node *igm_yaml_copy(const igm_yaml_node *node)
{
    igm_yaml_node *copy = igm_yaml_node_new(node->type, node->origin);
    if (!copy)
        return NULL;
    copy->line = node->line;
    copy->column = node->column;
    copy->boolean = node->boolean;
    copy->integer = node->integer;
    copy->big = node->big;
    copy->number = node->number;
    if ((node->text && !(copy->text = strdup(node->text))) || copy_children(copy, node)) {
        igm_yaml_free(copy);
        return NULL;
    }
    return copy;
}

void igm_yaml_to_json(igm_strbuf *sb, const igm_yaml_node *node)
{
    switch (node->type) {
    case IGM_YAML_NULL: igm_strbuf_append(sb, "null"); break;
    case IGM_YAML_BOOL: igm_strbuf_append(sb, node->boolean ? "true" : "false"); break;
    case IGM_YAML_INT:
        if (node->big)
            igm_yaml_append_big_int(sb, node->text);
        else
            igm_json_int(sb, node->integer);
        break;
    case IGM_YAML_FLOAT: igm_json_double(sb, node->number); break;
    case IGM_YAML_STRING: igm_json_string(sb, node->text); break;
    case IGM_YAML_SEQUENCE:
    case IGM_YAML_MAPPING:
        igm_strbuf_append(sb, node->keys ? "{" : "[");
        for (size_t i = 0; i < node->n; i++) {
            if (i)
                igm_strbuf_append(sb, ", ");
            if (node->keys) {
                igm_json_string(sb, node->keys[i]->text);
                igm_strbuf_append(sb, ": ");
            }
            igm_yaml_to_json(sb, node->items[i]);
        }
        igm_strbuf_append(sb, node->keys ? "}" : "]");
        break;
    }
}

static size_t node_count(const igm_yaml_node *node)
{
    size_t count = 1;
    for (size_t i = 0; i < node->n; i++)
        count += node_count(node->items[i]) + (node->keys ? 1 : 0);
    return count;
}

static size_t node_height(const igm_yaml_node *node)
{
    size_t height = 0;
    for (size_t i = 0; i < node->n; i++) {
        size_t h = node_height(node->items[i]);
        if (h > height)
            height = h;
    }
    return height + 1;
}

/* ---- errors --------------------------------------------------------- */

/* The dotted key of the node about to be attached (`current` is its own
 * key or index), for messages. */
static void builder_path(const builder *b, const char *current, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 1; i < b->depth + 1 && len < size; i++) {
        const char *part = i < b->depth ? b->stack[i].component : current;
        if (!part || !*part)
            continue;
        len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "." : "", part);
    }
}

static void next_component(const builder *b, char *out)
{
    const frame *top;
    out[0] = '\0';
    if (b->depth == 0)
        return;
    top = &b->stack[b->depth - 1];
    if (top->node->type == IGM_YAML_SEQUENCE)
        snprintf(out, COMPONENT_MAX, "%zu", top->node->n);
    else if (top->pending_key)
        snprintf(out, COMPONENT_MAX, "%s", top->pending_key->text);
}

static int builder_error(const builder *b, const char *component, int line, const char *fmt,
                         ...) IGM_PRINTF(4, 5);

static int builder_error(const builder *b, const char *component, int line, const char *fmt,
                         ...)
{
    char what[600], path[PATH_MAX_TEXT], where[PATH_MAX_TEXT + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    builder_path(b, component, path, sizeof path);
    if (path[0])
        snprintf(where, sizeof where, "key '%s': ", path);
    else
        where[0] = '\0';
    if (b->origin)
        return igm_error(IGMOPT_ECONFIG, "%.300s: %s%s", b->origin, where, what);
    return igm_error(IGMOPT_ECONFIG, "%.300s:%d: %s%s", b->name, line, where, what);
}

/* ---- building ------------------------------------------------------- */

static int attach_as_key(builder *b, frame *top, igm_yaml_node *node)
{
    if (node->type == IGM_YAML_SEQUENCE || node->type == IGM_YAML_MAPPING) {
        int rc = builder_error(b, "", node->line, "a mapping key must be a scalar");
        igm_yaml_free(node);
        return rc;
    }
    top->pending_key = node;
    return IGMOPT_OK;
}

typedef struct key_ref {
    const char *text;
    size_t index;
} key_ref;

static int compare_key_refs(const void *pa, const void *pb)
{
    const key_ref *a = pa, *b = pb;
    int order = strcmp(a->text, b->text);
    if (order)
        return order;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The first key in file order that repeats an earlier one (*repeat, and
 * the earlier *first), found by sorting so a huge mapping stays fast.
 * Returns 1 if there is one, 0 if not, -1 when out of memory. */
static int find_repeated_key(const igm_yaml_node *map, size_t *first, size_t *repeat)
{
    key_ref *refs = malloc(map->n * sizeof *refs);
    int found = 0;
    if (!refs)
        return -1;
    for (size_t i = 0; i < map->n; i++)
        refs[i] = (key_ref){map->keys[i]->text, i};
    qsort(refs, map->n, sizeof *refs, compare_key_refs);
    for (size_t i = 1; i < map->n; i++) {
        int second_of_group = strcmp(refs[i].text, refs[i - 1].text) == 0 &&
                              (i < 2 || strcmp(refs[i - 1].text, refs[i - 2].text) != 0);
        if (second_of_group && (!found || refs[i].index < *repeat)) {
            *first = refs[i - 1].index;
            *repeat = refs[i].index;
            found = 1;
        }
    }
    free(refs);
    return found;
}

/* Called while the mapping is still the open collection, so messages get
 * its path. */
static int check_repeated_keys(const builder *b, const igm_yaml_node *map)
{
    size_t first = 0, repeat = 0;
    int found = map->n < 2 ? 0 : find_repeated_key(map, &first, &repeat);
    if (found < 0)
        return igm_error_nomem();
    if (!found)
        return IGMOPT_OK;
    return builder_error(b, map->keys[repeat]->text, map->keys[repeat]->line,
                         "duplicate key (first at line %d)", map->keys[first]->line);
}

/* Hangs node under the open collection (or makes it the root); takes
 * ownership of node in every case. */
static int attach(builder *b, igm_yaml_node *node)
{
    frame *top;
    int rc;
    if (b->depth == 0) {
        b->root = node;
        return IGMOPT_OK;
    }
    top = &b->stack[b->depth - 1];
    if (top->node->type == IGM_YAML_MAPPING && !top->pending_key)
        return attach_as_key(b, top, node);
    if (top->node->type == IGM_YAML_MAPPING) {
        rc = igm_yaml_map_append(top->node, top->pending_key, node);
        if (rc == IGMOPT_OK)
            top->pending_key = NULL;
    } else {
        rc = igm_yaml_seq_append(top->node, node);
    }
    if (rc)
        igm_yaml_free(node);
    return rc;
}

static int count_nodes(builder *b, size_t count, int line)
{
    if (b->n_nodes + count > YAML_NODES_MAX) {
        char component[COMPONENT_MAX];
        next_component(b, component);
        return builder_error(b, component, line, "more than %d YAML nodes (aliases "
                             "included)", YAML_NODES_MAX);
    }
    b->n_nodes += count;
    return IGMOPT_OK;
}

static int register_anchor(builder *b, const char *name, const igm_yaml_node *node)
{
    anchor_entry *grown = realloc(b->anchors, (b->n_anchors + 1) * sizeof *grown);
    if (!grown)
        return igm_error_nomem();
    b->anchors = grown;
    if (!(grown[b->n_anchors].name = strdup(name)))
        return igm_error_nomem();
    grown[b->n_anchors++].node = node;
    return IGMOPT_OK;
}

static const igm_yaml_node *find_anchor(const builder *b, const char *name)
{
    for (size_t i = b->n_anchors; i-- > 0;)
        if (strcmp(b->anchors[i].name, name) == 0)
            return b->anchors[i].node;
    return NULL;
}

static igm_yaml_node *node_at(const builder *b, igm_yaml_type type, const yaml_mark_t *mark)
{
    igm_yaml_node *node = igm_yaml_node_new(type, b->origin);
    if (node) {
        node->line = (int)mark->line + 1;
        node->column = (int)mark->column + 1;
    }
    return node;
}

static int is_standard_tag(const char *tag)
{
    static const char *const tags[] = {"str", "int", "float", "bool", "null", NULL};
    static const char prefix[] = "tag:yaml.org,2002:";
    if (strncmp(tag, prefix, sizeof prefix - 1) != 0)
        return 0;
    for (size_t i = 0; tags[i]; i++)
        if (strcmp(tag + sizeof prefix - 1, tags[i]) == 0)
            return 1;
    return 0;
}

static int resolve_scalar(const builder *b, igm_yaml_node *node, const yaml_event_t *ev)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    char component[COMPONENT_MAX];
    next_component(b, component);
    if (tag && strcmp(tag, "!") != 0) {
        if (!is_standard_tag(tag))
            return builder_error(b, component, node->line, "unsupported tag '%.200s'", tag);
        if (igm_yaml_resolve_tagged(node, tag))
            return builder_error(b, component, node->line, "'%.200s' is not a valid %.200s",
                                 node->text, tag);
        return IGMOPT_OK;
    }
    if (tag || !ev->data.scalar.plain_implicit || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return IGMOPT_OK;
    igm_yaml_resolve_plain(node);
    return IGMOPT_OK;
}

static int scalar_text(const builder *b, igm_yaml_node *node, const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t length = ev->data.scalar.length;
    if (memchr(value, '\0', length)) {
        char component[COMPONENT_MAX];
        next_component(b, component);
        return builder_error(b, component, node->line, "a value contains a NUL character");
    }
    node->text = strndup(value, length);
    return node->text ? IGMOPT_OK : igm_error_nomem();
}

static int add_scalar(builder *b, const yaml_event_t *ev)
{
    igm_yaml_node *node = node_at(b, IGM_YAML_STRING, &ev->start_mark);
    const char *anchor = (const char *)ev->data.scalar.anchor;
    int rc;
    if (!node)
        return igm_error_nomem();
    if ((rc = count_nodes(b, 1, node->line)) || (rc = scalar_text(b, node, ev)) ||
        (rc = resolve_scalar(b, node, ev))) {
        igm_yaml_free(node);
        return rc;
    }
    if (anchor && (rc = register_anchor(b, anchor, node))) {
        igm_yaml_free(node);
        return rc;
    }
    return attach(b, node);
}

static int check_collection_tag(const builder *b, const char *tag, igm_yaml_type type,
                                int line)
{
    const char *expected = type == IGM_YAML_MAPPING ? "tag:yaml.org,2002:map"
                                                    : "tag:yaml.org,2002:seq";
    char component[COMPONENT_MAX];
    if (!tag || strcmp(tag, "!") == 0 || strcmp(tag, expected) == 0)
        return IGMOPT_OK;
    next_component(b, component);
    return builder_error(b, component, line, "unsupported tag '%.200s'", tag);
}

static int open_collection(builder *b, const yaml_event_t *ev, igm_yaml_type type)
{
    int is_map = type == IGM_YAML_MAPPING;
    const char *tag = (const char *)(is_map ? ev->data.mapping_start.tag
                                            : ev->data.sequence_start.tag);
    const char *anchor = (const char *)(is_map ? ev->data.mapping_start.anchor
                                               : ev->data.sequence_start.anchor);
    char component[COMPONENT_MAX];
    igm_yaml_node *node;
    int rc;
    next_component(b, component);
    if (b->depth == YAML_DEPTH_MAX)
        return builder_error(b, component, (int)ev->start_mark.line + 1,
                             "nested more than %d levels deep", YAML_DEPTH_MAX);
    if ((rc = check_collection_tag(b, tag, type, (int)ev->start_mark.line + 1)) ||
        (rc = count_nodes(b, 1, (int)ev->start_mark.line + 1)))
        return rc;
    if (!(node = node_at(b, type, &ev->start_mark)))
        return igm_error_nomem();
    if ((rc = attach(b, node)))
        return rc;
    b->stack[b->depth] = (frame){.node = node};
    memcpy(b->stack[b->depth].component, component, sizeof component);
    if (anchor && !(b->stack[b->depth].anchor = strdup(anchor)))
        return igm_error_nomem();
    b->depth++;
    return IGMOPT_OK;
}

static int close_collection(builder *b)
{
    frame *top = &b->stack[b->depth - 1];
    int rc = IGMOPT_OK;
    if (top->node->type == IGM_YAML_MAPPING && (rc = check_repeated_keys(b, top->node)))
        return rc;
    b->depth--;
    if (top->anchor)
        rc = register_anchor(b, top->anchor, top->node);
    free(top->anchor);
    igm_yaml_free(top->pending_key);
    *top = (frame){0};
    return rc;
}

static int add_alias(builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const igm_yaml_node *target = find_anchor(b, name);
    int line = (int)ev->start_mark.line + 1;
    char component[COMPONENT_MAX];
    igm_yaml_node *copy;
    int rc;
    next_component(b, component);
    if (!target)
        return builder_error(b, component, line, "unknown alias '*%.200s'", name);
    if (b->depth + node_height(target) > YAML_DEPTH_MAX)
        return builder_error(b, component, line, "nested more than %d levels deep",
                             YAML_DEPTH_MAX);
    if ((rc = count_nodes(b, node_count(target), line)))
        return rc;
    if (!(copy = igm_yaml_copy(target)))
        return igm_error_nomem();
    return attach(b, copy);
}

static int handle_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1)
            return builder_error(b, "", (int)ev->start_mark.line + 1,
                                 "more than one YAML document (a second '---')");
        return IGMOPT_OK;
    case YAML_SCALAR_EVENT: return add_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT: return open_collection(b, ev, IGM_YAML_SEQUENCE);
    case YAML_MAPPING_START_EVENT: return open_collection(b, ev, IGM_YAML_MAPPING);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return close_collection(b);
    case YAML_ALIAS_EVENT: return add_alias(b, ev);
    default: return IGMOPT_OK;
    }
}

/* ---- libyaml errors --------------------------------------------------- */

static int line_of_offset(const char *text, size_t len, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < len; i++)
        line += text[i] == '\n';
    return line;
}

/* The byte at a mark, whose line and column count characters (UTF-8). */
static char char_at_mark(const char *text, size_t len, const yaml_mark_t *mark)
{
    size_t i = 0;
    for (size_t line = 0; line < mark->line && i < len; i++)
        line += text[i] == '\n';
    for (size_t column = 0; column < mark->column && i < len; column++)
        while (++i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
    return i < len ? text[i] : '\0';
}

/* libyaml's scanner meets a tab as a character that cannot start any
 * token, which does not say what is wrong. */
static const char *tab_hint(const yaml_parser_t *p, const char *text, size_t len)
{
    if (p->error != YAML_SCANNER_ERROR || (p->problem && strstr(p->problem, "tab")) ||
        char_at_mark(text, len, &p->problem_mark) != '\t')
        return "";
    return " (YAML forbids tabs for indentation)";
}

static int syntax_error(const builder *b, const yaml_parser_t *p, const char *text, size_t len)
{
    const char *problem = p->problem ? p->problem : "invalid YAML";
    const char *hint = tab_hint(p, text, len);
    size_t line = p->problem_mark.line + 1, column = p->problem_mark.column + 1;
    char context[300] = "";
    if (p->error == YAML_MEMORY_ERROR)
        return igm_error_nomem();
    if (p->error == YAML_READER_ERROR) {
        line = (size_t)line_of_offset(text, len, p->problem_offset);
        column = 0;
    }
    if (p->context)
        snprintf(context, sizeof context, " (%.200s at line %zu)", p->context,
                 p->context_mark.line + 1);
    if (b->origin)
        return igm_error(IGMOPT_ECONFIG, "%.300s: the value is not valid YAML: %.200s%s%.200s%s%s",
                         b->origin, problem, p->context ? " (" : "",
                         p->context ? p->context : "", p->context ? ")" : "", hint);
    if (column == 0)
        return igm_error(IGMOPT_ECONFIG, "%.300s:%zu: YAML syntax error: %.200s%s", b->name,
                         line, problem, context);
    return igm_error(IGMOPT_ECONFIG, "%.300s:%zu:%zu: YAML syntax error: %.200s%s%s", b->name,
                     line, column, problem, context, hint);
}

static void builder_release(builder *b)
{
    while (b->depth > 0) {
        frame *top = &b->stack[--b->depth];
        free(top->anchor);
        igm_yaml_free(top->pending_key);
    }
    for (size_t i = 0; i < b->n_anchors; i++)
        free(b->anchors[i].name);
    free(b->anchors);
    igm_yaml_free(b->root);
}

static int parse_events(builder *b, yaml_parser_t *parser, const char *text, size_t len)
{
    for (;;) {
        yaml_event_t ev;
        int rc, done;
        if (!yaml_parser_parse(parser, &ev))
            return syntax_error(b, parser, text, len);
        rc = handle_event(b, &ev);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (rc || done)
            return rc;
    }
}

static int empty_document(const builder *b, igm_yaml_node **out)
{
    *out = igm_yaml_node_new(IGM_YAML_NULL, b->origin);
    if (!*out)
        return igm_error_nomem();
    (*out)->line = 1;
    (*out)->column = 1;
    return IGMOPT_OK;
}

int igm_yaml_load_buffer(const char *text, size_t len, const char *name, const char *origin,
                         igm_yaml_node **out)
{
    builder b = {.name = name, .origin = origin};
    yaml_parser_t parser;
    int rc;
    *out = NULL;
    if (!yaml_parser_initialize(&parser))
        return igm_error_nomem();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    rc = parse_events(&b, &parser, text, len);
    yaml_parser_delete(&parser);
    if (rc == IGMOPT_OK && !b.root)
        rc = empty_document(&b, out);
    else if (rc == IGMOPT_OK) {
        *out = b.root;
        b.root = NULL;
    }
    builder_release(&b);
    return rc;
}

static int read_stream(FILE *f, const char *path, char **text, size_t *len)
{
    size_t cap = 0, n = 0, got;
    char *buf = NULL;
    do {
        if (n + 1 >= cap) {
            char *grown = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!grown) {
                free(buf);
                return igm_error_nomem();
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0 && n <= YAML_FILE_MAX);
    if (ferror(f) || n > YAML_FILE_MAX) {
        int error = errno;
        free(buf);
        if (n > YAML_FILE_MAX)
            return igm_error(IGMOPT_ECONFIG, "the config file '%.500s' is larger than %u "
                             "bytes", path, YAML_FILE_MAX);
        return igm_error(IGMOPT_ECONFIG, "cannot read the config file '%.500s': %s", path,
                         strerror(error));
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return IGMOPT_OK;
}

static int read_file(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    int rc;
    if (!f)
        return igm_error(IGMOPT_ECONFIG, "cannot read the config file '%.500s': %s", path,
                         strerror(errno));
    rc = read_stream(f, path, text, len);
    fclose(f);
    return rc;
}

int igm_yaml_load_file(const char *path, igm_yaml_node **out)
{
    char *text = NULL;
    size_t len = 0;
    int rc;
    *out = NULL;
    if ((rc = read_file(path, &text, &len)))
        return rc;
    rc = igm_yaml_load_buffer(text, len, path, NULL, out);
    free(text);
    return rc;
}
