/* Name and key validation shared by studies, trials and attributes. */
#include "name_check.h"

#include <string.h>

#include "error.h"

/* Length of the UTF-8 sequence starting at s, 0 if malformed (RFC 3629). */
static size_t utf8_sequence_length(const unsigned char *s)
{
    size_t n;
    unsigned cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

int igm_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_sequence_length(p);
        if (n == 0)
            return 0;
        p += n;
    }
    return 1;
}

int igm_check_name(const char *value, const char *what)
{
    if (!value || !*value)
        return igm_error(IGMOPT_EINVAL, "%s must be a non-empty string", what);
    if (strlen(value) > IGM_MAX_NAME_LEN)
        return igm_error(IGMOPT_EINVAL, "%s is longer than %d characters", what,
                         IGM_MAX_NAME_LEN);
    if (!igm_utf8_valid(value))
        return igm_error(IGMOPT_EINVAL, "%s is not valid UTF-8", what);
    return IGMOPT_OK;
}
