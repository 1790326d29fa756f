/* What a run needs beyond a valid file (igmopt_config_check): the sampler
 * and pruner classes exist in this build, and the trial command's program
 * is found.  Loading does not check these, since the seed template (its
 * NSGAIISampler, a command installed elsewhere) must load unchanged; and
 * messages that point at a key of the loaded file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_internal.h"
#include "launch.h"
#include "methods.h"
#include "strbuf.h"

/* A dotted key of mappings ("sampler.method") in cfg's tree: the key, or
 * for a missing key the mapping that would hold it. */
static void locate_key(const igmopt_config *cfg, const char *dotted, igm_config_loc *loc)
{
    const igm_yaml_node *node = cfg->tree;
    igm_config_loc parent = {.file = cfg->path, .at = node, .path = ""};
    char part[IGM_CONFIG_PATH_MAX];
    *loc = parent;
    for (const char *p = dotted; *p;) {
        size_t len = strcspn(p, ".");
        igm_yaml_node *key = NULL, *value = NULL;
        snprintf(part, sizeof part, "%.*s", (int)len, p);
        if (node && node->type == IGM_YAML_MAPPING)
            value = igm_yaml_get(node, part, &key);
        if (key)
            igm_config_loc_key(loc, &parent, key);
        else
            igm_config_loc_missing(loc, &parent, part);
        parent = *loc;
        node = value;
        p += len + (p[len] == '.');
    }
}

int igm_config_error_at(const igmopt_config *cfg, const char *key, const char *fmt, ...)
{
    igm_config_loc loc;
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    locate_key(cfg, key, &loc);
    return igm_config_error(&loc, "%s", what);
}

/* ---- sampler and pruner ------------------------------------------------ */

static int not_available(const igmopt_config *cfg, const char *key, const char *method,
                         const char *kind, const char *(*available)(size_t))
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    const char *name;
    char *names;
    int rc;
    for (size_t i = 0; (name = available(i)); i++)
        igm_strbuf_appendf(&sb, "%s%s", i ? ", " : "", name);
    if ((rc = igm_strbuf_finish(&sb, &names)))
        return rc;
    rc = igm_config_error_at(cfg, key, "%s is not available yet in this version of libigmopt "
                             "(available %ss: %s)", method, kind, names);
    free(names);
    return rc;
}

static int check_sampler(const igmopt_config *cfg)
{
    igmopt_sampler *s = NULL;
    int rc = igmopt_sampler_new(&s, cfg->sampler_method, cfg->sampler_kwargs_json);
    igmopt_sampler_free(s);
    if (rc == IGMOPT_EUNAVAILABLE)
        return not_available(cfg, "sampler.method", cfg->sampler_method, "sampler",
                             igm_sampler_available);
    return rc;
}

static int check_pruner(const igmopt_config *cfg)
{
    igmopt_pruner *p = NULL;
    int rc;
    if (!cfg->pruner_method)
        return IGMOPT_OK;
    rc = igmopt_pruner_new(&p, cfg->pruner_method, cfg->pruner_kwargs_json);
    igmopt_pruner_free(p);
    if (rc == IGMOPT_EUNAVAILABLE)
        return not_available(cfg, "pruner.method", cfg->pruner_method, "pruner",
                             igm_pruner_available);
    return rc;
}

/* ---- the trial command ---------------------------------------------------- */

/* The program as the launcher will find it: in PATH for a bare name, else
 * the path, a relative one against the file's directory (also for a
 * command given on the command line: the message shows where it looked). */
static int check_command(const igmopt_config *cfg)
{
    const char *name = cfg->command[0];
    int configured = igm_yaml_get(cfg->tree, "command", NULL) != NULL;
    char *path = NULL, shown[700];
    struct stat st;
    int rc = igm_resolve_program(&path, name, cfg->base_dir);
    if (rc)
        return rc;
    if (!path)
        return igm_config_error_at(cfg, "command", "program '%s' not found in PATH%s", name,
                                   configured ? "" : " (it is the default command; set "
                                   "command: in the file or give the trial command after --)");
    if (name[0] == '/')
        snprintf(shown, sizeof shown, "'%.500s'", name);
    else
        snprintf(shown, sizeof shown, "'%.300s' (in %.300s)", name, cfg->base_dir);
    if (stat(path, &st) != 0)
        rc = igm_config_error_at(cfg, "command", "program %s cannot be run: %s", shown,
                                 strerror(errno));
    else if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
        rc = igm_config_error_at(cfg, "command", "program %s is not an executable file",
                                 shown);
    free(path);
    return rc;
}

IGMOPT_API int igmopt_config_check(const igmopt_config *cfg)
{
    int rc;
    if (!cfg)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_check: cfg must not be NULL");
    if ((rc = check_sampler(cfg)) || (rc = check_pruner(cfg)) || (rc = check_command(cfg)))
        return rc;
    return IGMOPT_OK;
}
