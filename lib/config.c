/* igmopt_config: loading optuna_params.yaml (from a file or from memory),
 * and freeing it.  Validation lives in config_build.c / config_params.c,
 * command-line overrides in config_set.c, JSON output in config_json.c. */
#include <limits.h>
#include <stdio.h>
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

/* A message about a file value names the overrides only if they made it
 * wrong, that is if the file alone loads. */
static int blame_overrides_if_file_loads(int rc, const char *path, const char *const *key_values,
                                         size_t n)
{
    char message[1024], *origin;
    igmopt_config *alone = NULL;
    int alone_rc;
    if (rc == IGMOPT_ENOMEM || n == 0)
        return rc;
    snprintf(message, sizeof message, "%s", igm_error_message());
    alone_rc = igmopt_config_load_with(&alone, path, NULL, 0, NULL, 0);
    igmopt_config_free(alone);
    igm_error(rc, "%s", message);
    if (alone_rc != IGMOPT_OK || igm_config_overrides_origin(key_values, n, &origin))
        return rc;
    rc = igm_config_blame_overrides(rc, origin);
    free(origin);
    return rc;
}

static int check_load_args(igmopt_config **out, const char *path,
                           const char *const *key_values, size_t n,
                           const char *const *command, size_t command_argc)
{
    static const char function[] = "igmopt_config_load_with";
    if (!out)
        return igm_error(IGMOPT_EINVAL, "%s: out must not be NULL", function);
    *out = NULL;
    if (!path || !path[0])
        return igm_error(IGMOPT_EINVAL, "the config file name is empty");
    if (command || command_argc) {
        int rc = igm_config_check_command_args(function, command, command_argc);
        if (rc)
            return rc;
    }
    return igm_config_check_override_args(function, key_values, n);
}

/* As Hydra: the file, then every override, then one check, so an override
 * can repair a value the file has wrong. */
IGMOPT_API int igmopt_config_load_with(igmopt_config **out, const char *path,
                                       const char *const *key_values, size_t n,
                                       const char *const *command, size_t command_argc)
{
    igm_yaml_node *tree;
    int rc = check_load_args(out, path, key_values, n, command, command_argc);
    if (rc || (rc = igm_yaml_load_file(path, &tree)))
        return rc;
    if ((rc = igm_config_tree_apply(tree, key_values, n)) ||
        (command && (rc = igm_config_tree_set_command(tree, command, command_argc)))) {
        igm_yaml_free(tree);
        return rc;
    }
    if ((rc = config_from_tree(out, tree, path)) == IGMOPT_ECONFIG)
        return blame_overrides_if_file_loads(rc, path, key_values, n);
    return rc;
}

IGMOPT_API int igmopt_config_load(igmopt_config **out, const char *path)
{
    if (!out)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_load: out must not be NULL");
    return igmopt_config_load_with(out, path, NULL, 0, NULL, 0);
}

IGMOPT_API void igmopt_config_free(igmopt_config *cfg)
{
    if (cfg)
        config_destroy(cfg);
}
