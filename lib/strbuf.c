/* Growable strings and JSON output in Python's json.dumps form. */
#include "strbuf.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igmopt/igmopt.h"

static int strbuf_reserve(igm_strbuf *sb, size_t extra)
{
    size_t need;
    char *grown;
    if (sb->failed)
        return -1;
    need = sb->len + extra + 1;
    if (need <= sb->cap)
        return 0;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    grown = realloc(sb->data, cap);
    if (!grown) {
        sb->failed = 1;
        return -1;
    }
    sb->data = grown;
    sb->cap = cap;
    return 0;
}

void igm_strbuf_append_len(igm_strbuf *sb, const char *s, size_t n)
{
    if (strbuf_reserve(sb, n) != 0)
        return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void igm_strbuf_append(igm_strbuf *sb, const char *s)
{
    igm_strbuf_append_len(sb, s, strlen(s));
}

void igm_strbuf_appendf(igm_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || strbuf_reserve(sb, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void igm_strbuf_append_escaped(igm_strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)s + n;
         p++) {
        if (*p == '\n')
            igm_strbuf_append(sb, "\\n");
        else if (*p == '\r')
            igm_strbuf_append(sb, "\\r");
        else if (*p == '\t')
            igm_strbuf_append(sb, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            igm_strbuf_append_len(sb, (char[]){'\\', 'x', hex[*p >> 4], hex[*p & 15]}, 4);
        else
            igm_strbuf_append_len(sb, (const char *)p, 1);
    }
}

int igm_strbuf_finish(igm_strbuf *sb, char **out)
{
    if (sb->failed || strbuf_reserve(sb, 0) != 0) {
        igm_strbuf_release(sb);
        *out = NULL;
        return IGMOPT_ENOMEM;
    }
    sb->data[sb->len] = '\0'; /* also when nothing was appended */
    *out = sb->data;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return IGMOPT_OK;
}

void igm_strbuf_release(igm_strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 0;
}

/* Shortest "%.*e" digits that read back as v (Python's repr picks the
 * shortest round-trip string too).  They need at most 17 digits.  If
 * some decimal of <= 15 digits round-trips, rounding a normal v to 15
 * digits gives it (v is within half an ulp of it, far less than half the
 * 15-digit spacing), so trying 15, 16, 17 digits in turn finds what trying
 * every length would, once the caller drops trailing zeros.  Subnormals
 * have fewer bits: every length is tried. */
static int shortest_exponent_form(double v, char *buf, size_t size)
{
    for (int precision = fabs(v) < DBL_MIN ? 0 : 14; precision < 16; precision++) {
        snprintf(buf, size, "%.*e", precision, v);
        if (strtod(buf, NULL) == v)
            return precision;
    }
    snprintf(buf, size, "%.16e", v);
    return 16;
}

/* Rewrites "d.ddde±XX" as Python's float repr: positional notation when
 * -4 <= exponent < 16, else "d.ddde±XX" with at least two exponent digits. */
void igm_format_double(double v, char *buf)
{
    char sci[40], digits[24];
    size_t nd = 0;
    int exponent;
    char *e;
    const char *sign = "";

    if (isnan(v)) {
        strcpy(buf, "nan");
        return;
    }
    if (isinf(v)) {
        strcpy(buf, v > 0 ? "inf" : "-inf");
        return;
    }
    if (v == 0) {
        strcpy(buf, signbit(v) ? "-0.0" : "0.0");
        return;
    }
    if (v < 0) {
        sign = "-";
        v = -v;
    }
    shortest_exponent_form(v, sci, sizeof sci);
    e = strchr(sci, 'e');
    exponent = atoi(e + 1);
    for (const char *p = sci; p < e; p++)
        if (*p != '.')
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';

    if (exponent < -4 || exponent >= 16) {
        sprintf(buf, "%s%c%s%se%c%02d", sign, digits[0], nd > 1 ? "." : "", digits + 1,
                exponent < 0 ? '-' : '+', abs(exponent));
        return;
    }
    char *out = buf + sprintf(buf, "%s", sign);
    if (exponent < 0) {
        out += sprintf(out, "0.");
        for (int i = 0; i < -exponent - 1; i++)
            *out++ = '0';
        strcpy(out, digits);
    } else if ((size_t)exponent + 1 >= nd) {
        out += sprintf(out, "%s", digits);
        for (size_t i = nd; i < (size_t)exponent + 1; i++)
            *out++ = '0';
        strcpy(out, ".0");
    } else {
        sprintf(out, "%.*s.%s", exponent + 1, digits, digits + exponent + 1);
    }
}

void igm_json_double(igm_strbuf *sb, double v)
{
    char buf[32];
    if (isnan(v)) {
        igm_strbuf_append(sb, "NaN");
    } else if (isinf(v)) {
        igm_strbuf_append(sb, v > 0 ? "Infinity" : "-Infinity");
    } else {
        igm_format_double(v, buf);
        igm_strbuf_append(sb, buf);
    }
}

void igm_json_int(igm_strbuf *sb, int64_t v)
{
    igm_strbuf_appendf(sb, "%lld", (long long)v);
}

/* Decodes one UTF-8 sequence; invalid bytes come out as U+FFFD. */
static unsigned utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned cp;
    int extra;
    if (s[0] < 0x80) {
        *p = s + 1;
        return s[0];
    }
    if ((s[0] & 0xE0) == 0xC0) {
        cp = s[0] & 0x1F;
        extra = 1;
    } else if ((s[0] & 0xF0) == 0xE0) {
        cp = s[0] & 0x0F;
        extra = 2;
    } else if ((s[0] & 0xF8) == 0xF0) {
        cp = s[0] & 0x07;
        extra = 3;
    } else {
        *p = s + 1;
        return 0xFFFD;
    }
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *p = s + extra + 1;
    return cp;
}

static void append_escaped_codepoint(igm_strbuf *sb, unsigned cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        igm_strbuf_appendf(sb, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
    } else {
        igm_strbuf_appendf(sb, "\\u%04x", cp);
    }
}

void igm_json_string(igm_strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    igm_strbuf_append(sb, "\"");
    while (*p) {
        unsigned cp = utf8_next(&p);
        switch (cp) {
        case '"': igm_strbuf_append(sb, "\\\""); break;
        case '\\': igm_strbuf_append(sb, "\\\\"); break;
        case '\n': igm_strbuf_append(sb, "\\n"); break;
        case '\r': igm_strbuf_append(sb, "\\r"); break;
        case '\t': igm_strbuf_append(sb, "\\t"); break;
        case '\b': igm_strbuf_append(sb, "\\b"); break;
        case '\f': igm_strbuf_append(sb, "\\f"); break;
        default:
            if (cp < 0x20 || cp > 0x7E) {
                append_escaped_codepoint(sb, cp);
            } else {
                char c = (char)cp;
                igm_strbuf_append_len(sb, &c, 1);
            }
        }
    }
    igm_strbuf_append(sb, "\"");
}
