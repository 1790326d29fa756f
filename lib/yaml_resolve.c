/* Scalar resolution: which plain YAML scalars are null, bools, ints and
 * floats.  PyYAML's safe_load (YAML 1.1 resolver) is the reference, since
 * IGM reads optuna_params.yaml with it; one deliberate extension: floats
 * without a dot or exponent sign (1e-3, 2E5) are floats here, where PyYAML
 * would hand Optuna the string "1e-3". */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "yaml_tree.h"

/* Longest numeral we convert; longer text stays a string. */
#define NUMERAL_MAX 255

static int text_in(const char *text, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strcmp(text, words[i]) == 0)
            return 1;
    return 0;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"yes", "Yes", "YES", "true", "True", "TRUE",
                                         "on",  "On",  "ON",  NULL};
static const char *const false_words[] = {"no",    "No",    "NO",  "false", "False",
                                          "FALSE", "off", "Off", "OFF",   NULL};

static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

/* Digits of `base` and underscores up to the end of p.  Returns 1 when at
 * least one digit was read; *overflow is set when the magnitude exceeds
 * 2^63 (the most a negative int64 holds). */
static int read_digits(const char *p, int base, uint64_t *magnitude, int *overflow)
{
    int any = 0;
    *magnitude = 0;
    for (; *p; p++) {
        int d;
        if (*p == '_')
            continue;
        d = digit_value((unsigned char)*p);
        if (d >= base)
            return 0;
        if (*magnitude > ((UINT64_C(1) << 63) - (uint64_t)d) / (uint64_t)base)
            *overflow = 1;
        else
            *magnitude = *magnitude * (uint64_t)base + (uint64_t)d;
        any = 1;
    }
    return any;
}

/* The base an int's digits (after the sign) are written in, moving *s past
 * its prefix (0b, 0x, or the 0 of an octal); 0 when no int starts there. */
static int int_base(const char **s)
{
    const char *p = *s;
    if (p[0] == '0' && p[1] == 'b')
        return *s += 2, 2;
    if (p[0] == '0' && p[1] == 'x')
        return *s += 2, 16;
    if (p[0] == '0' && p[1] != '\0')
        return *s += 1, 8;
    return isdigit((unsigned char)p[0]) ? 10 : 0;
}

/* Returns 1 for an int (value in *out), 0 for not an int; *overflow is set
 * for an int outside int64_t. */
static int parse_int_text(const char *s, int64_t *out, int *overflow)
{
    int negative = 0, base;
    uint64_t magnitude;
    *overflow = 0;
    if (*s == '-' || *s == '+')
        negative = *s++ == '-';
    if (!(base = int_base(&s)))
        return 0;
    if (!read_digits(s, base, &magnitude, overflow))
        return 0;
    if (*overflow || (!negative && magnitude > (uint64_t)INT64_MAX))
        return *overflow = 1, 1;
    *out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return 1;
}

static int parse_special_float(const char *s, double *out)
{
    static const char *const inf_words[] = {".inf", ".Inf", ".INF", NULL};
    static const char *const nan_words[] = {".nan", ".NaN", ".NAN", NULL};
    const char *body = (*s == '-' || *s == '+') ? s + 1 : s;
    if (text_in(body, inf_words)) {
        *out = *s == '-' ? -INFINITY : INFINITY;
        return 1;
    }
    if (text_in(s, nan_words)) {
        *out = NAN;
        return 1;
    }
    return 0;
}

/* The numeral being cleaned of underscores for strtod. */
typedef struct numeral {
    char text[NUMERAL_MAX + 1];
    size_t len;
    int too_long;
} numeral;

static void numeral_put(numeral *n, char c)
{
    if (n->len < NUMERAL_MAX)
        n->text[n->len++] = c;
    else
        n->too_long = 1;
}

/* Copies [0-9_]* from *p without the underscores; returns the digit count. */
static size_t numeral_digits(numeral *n, const char **p)
{
    size_t digits = 0;
    for (; isdigit((unsigned char)**p) || **p == '_'; (*p)++) {
        if (**p == '_')
            continue;
        numeral_put(n, **p);
        digits++;
    }
    return digits;
}

/* [-+]? digits? ('.' digits?)? ([eE][-+]?[0-9]+)?  with a dot or an
 * exponent, and a digit before the dot unless the dot leads. */
static int parse_float_text(const char *s, double *out)
{
    numeral n = {.len = 0, .too_long = 0};
    size_t whole, fraction = 0;
    int has_dot = 0, has_exponent = 0;
    const char *p = s;
    if (parse_special_float(s, out))
        return 1;
    if (*p == '-' || *p == '+')
        numeral_put(&n, *p++);
    if (*p == '_')
        return 0;
    whole = numeral_digits(&n, &p);
    if (*p == '.') {
        has_dot = 1;
        numeral_put(&n, *p++);
        fraction = numeral_digits(&n, &p);
    }
    if (whole + fraction == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        has_exponent = 1;
        numeral_put(&n, *p++);
        if (*p == '-' || *p == '+')
            numeral_put(&n, *p++);
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            numeral_put(&n, *p++);
    }
    if (*p != '\0' || (!has_dot && !has_exponent) || n.too_long)
        return 0;
    n.text[n.len] = '\0';
    *out = strtod(n.text, NULL);
    return 1;
}

static void set_bool(igm_yaml_node *node, int value)
{
    node->type = IGM_YAML_BOOL;
    node->boolean = value;
}

static void set_int(igm_yaml_node *node, int64_t value)
{
    node->type = IGM_YAML_INT;
    node->integer = value;
    node->number = (double)value;
}

/* PyYAML makes a Python int of any size; only the text keeps it here. */
static void set_big_int(igm_yaml_node *node)
{
    node->type = IGM_YAML_INT;
    node->big = 1;
}

static void set_parsed_int(igm_yaml_node *node, int64_t value, int overflow)
{
    if (overflow)
        set_big_int(node);
    else
        set_int(node, value);
}

static void set_float(igm_yaml_node *node, double value)
{
    node->type = IGM_YAML_FLOAT;
    node->number = value;
}

void igm_yaml_resolve_plain(igm_yaml_node *node)
{
    const char *t = node->text;
    int64_t i = 0;
    double d;
    int overflow;
    if (text_in(t, null_words))
        node->type = IGM_YAML_NULL;
    else if (text_in(t, true_words))
        set_bool(node, 1);
    else if (text_in(t, false_words))
        set_bool(node, 0);
    else if (parse_int_text(t, &i, &overflow))
        set_parsed_int(node, i, overflow);
    else if (parse_float_text(t, &d))
        set_float(node, d);
    else
        node->type = IGM_YAML_STRING;
}

static int resolve_bool_tag(igm_yaml_node *node)
{
    static const char *const yes[] = {"yes", "true", "on", NULL};
    static const char *const no[] = {"no", "false", "off", NULL};
    for (size_t i = 0; yes[i]; i++) {
        if (strcasecmp(node->text, yes[i]) == 0)
            return set_bool(node, 1), 0;
        if (strcasecmp(node->text, no[i]) == 0)
            return set_bool(node, 0), 0;
    }
    return -1;
}

int igm_yaml_resolve_tagged(igm_yaml_node *node, const char *tag)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    const char *kind;
    int64_t i = 0;
    double d;
    int overflow;
    if (strncmp(tag, prefix, sizeof prefix - 1) != 0)
        return -1;
    kind = tag + sizeof prefix - 1;
    if (strcmp(kind, "str") == 0)
        node->type = IGM_YAML_STRING;
    else if (strcmp(kind, "null") == 0)
        node->type = IGM_YAML_NULL;
    else if (strcmp(kind, "bool") == 0)
        return resolve_bool_tag(node);
    else if (strcmp(kind, "int") == 0) {
        if (!parse_int_text(node->text, &i, &overflow))
            return -1;
        set_parsed_int(node, i, overflow);
    } else if (strcmp(kind, "float") == 0) {
        if (parse_int_text(node->text, &i, &overflow) && !overflow)
            set_float(node, (double)i);
        else if (parse_float_text(node->text, &d))
            set_float(node, d);
        else
            return -1;
    } else
        return -1;
    return 0;
}

void igm_yaml_append_big_int(igm_strbuf *sb, const char *text)
{
    const char *s = text + (*text == '-' || *text == '+');
    unsigned char *digits = calloc(2 * strlen(text) + 1, 1); /* decimal, lowest first */
    size_t n = 1;
    int base = int_base(&s);
    if (!digits) {
        sb->failed = 1;
        return;
    }
    for (; *s; s++) {
        unsigned carry;
        if (*s == '_')
            continue;
        carry = (unsigned)digit_value((unsigned char)*s);
        for (size_t i = 0; i < n; i++, carry /= 10) {
            carry += digits[i] * (unsigned)base;
            digits[i] = (unsigned char)(carry % 10);
        }
        for (; carry; carry /= 10)
            digits[n++] = (unsigned char)(carry % 10);
    }
    if (*text == '-')
        igm_strbuf_append(sb, "-");
    while (n-- > 0)
        igm_strbuf_append_len(sb, (const char[]){(char)('0' + digits[n])}, 1);
    free(digits);
}
