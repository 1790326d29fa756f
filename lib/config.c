/* igmopt_config: loading optuna_params.yaml (from a file or from memory),
 * and freeing it.  Validation lives in config_build.c / config_params.c,
 * command-line overrides in config_set.c, JSON output in config_json.c. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_internal.h"
#include "strbuf.h"

/* The absolute directory holding `path` (which need not exist when the
 * text came from memory). */
static int directory_of(const char *path, char **out)
{
    const char *slash = strrchr(path, '/');
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *cwd = NULL, *real;
    int rc;
    if (path[0] != '/') {
        if (!(cwd = getcwd(NULL, 0)))
            return igm_error(IGMOPT_ECONFIG, "'%.500s': cannot resolve its directory: the "
                             "current directory is unknown", path);
        igm_strbuf_append(&sb, cwd);
        igm_strbuf_append(&sb, "/");
    }
    if (slash)
        igm_strbuf_append_len(&sb, path, slash == path ? 1 : (size_t)(slash - path));
    else
        igm_strbuf_append(&sb, ".");
    free(cwd);
    if ((rc = igm_strbuf_finish(&sb, out)))
        return rc;
    if ((real = realpath(*out, NULL))) {
        free(*out);
        *out = real;
    }
    return IGMOPT_OK;
}

static void config_destroy(igmopt_config *cfg)
{
    igm_config_free_fields(cfg);
    igm_yaml_free(cfg->tree);
    free(cfg->path);
    free(cfg->base_dir);
    free(cfg);
}

/* Takes ownership of tree in every case. */
static int config_from_tree(igmopt_config **out, igm_yaml_node *tree, const char *path)
{
    igmopt_config *cfg = calloc(1, sizeof *cfg);
    int rc;
    if (!cfg) {
        igm_yaml_free(tree);
        return igm_error_nomem();
    }
    cfg->tree = tree;
    if (!(cfg->path = strdup(path)))
        rc = igm_error_nomem();
    else if ((rc = directory_of(path, &cfg->base_dir)) == IGMOPT_OK)
        rc = igm_config_build_fields(cfg, tree);
    if (rc) {
        config_destroy(cfg);
        return rc;
    }
    *out = cfg;
    return IGMOPT_OK;
}

int igm_config_load_buffer(const char *text, size_t len, const char *name,
                           igmopt_config **out)
{
    igm_yaml_node *tree;
    int rc;
    *out = NULL;
    if ((rc = igm_yaml_load_buffer(text, len, name, NULL, &tree)))
        return rc;
    return config_from_tree(out, tree, name);
}

IGMOPT_API int igmopt_config_load(igmopt_config **out, const char *path)
{
    igm_yaml_node *tree;
    int rc;
    if (!out)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_load: out must not be NULL");
    *out = NULL;
    if (!path || !path[0])
        return igm_error(IGMOPT_EINVAL, "the config file name is empty");
    if ((rc = igm_yaml_load_file(path, &tree)))
        return rc;
    return config_from_tree(out, tree, path);
}

IGMOPT_API void igmopt_config_free(igmopt_config *cfg)
{
    if (cfg)
        config_destroy(cfg);
}
