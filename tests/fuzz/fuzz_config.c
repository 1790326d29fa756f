/* libFuzzer target for the sweep config: the input up to the first NUL is
 * an optuna_params.yaml; each line after it is a command-line "key=value"
 * (or "~key") applied to the loaded config.  Everything must fail cleanly:
 * no crash, leak or sanitizer report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "igmopt/igmopt.h"
#include "lib/config.h"

static void apply_sets(igmopt_config *cfg, const char *sets, size_t len)
{
    char *copy = malloc(len + 1), *line, *next;
    if (!copy)
        return;
    memcpy(copy, sets, len);
    copy[len] = '\0';
    for (line = copy; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        igmopt_config_set(cfg, line);
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t yaml_len = nul ? (size_t)(nul - text) : size;
    igmopt_config *cfg = NULL;
    char *json = NULL;
    if (igm_config_load_buffer(text, yaml_len, "/fuzz/optuna_params.yaml", &cfg) != IGMOPT_OK)
        return 0;
    if (nul)
        apply_sets(cfg, nul + 1, size - yaml_len - 1);
    if (igmopt_config_to_json(cfg, &json) == IGMOPT_OK)
        igmopt_free(json);
    igmopt_config_free(cfg);
    return 0;
}
