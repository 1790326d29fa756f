/* What a run needs beyond a valid file (igmopt_config_check): the sampler
 * and pruner classes exist in this build, the trial command's program is
 * found, and the SQLite database's directory exists and its path holds a
 * regular file or nothing.  Loading does not check these, since the seed template (its
 * NSGAIISampler, a command installed elsewhere) must load unchanged; and
 * messages that point at a key of the loaded file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../samplers/sampler.h"
#include "../storage/storage.h"
#include "config_internal.h"
#include "gpu_slots.h"
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

/* What the study will check when it is created: kwargs that cannot serve
 * the configured objectives (NSGA-III reference points of another
 * dimension) stop the run before any trial. */
static int check_sampler_objectives(const igmopt_config *cfg, igmopt_sampler *s)
{
    char message[700], key[IGM_CONFIG_PATH_MAX] = "sampler";
    const igm_yaml_node *mapping = igm_yaml_get(cfg->tree, "sampler", NULL), *kwarg;
    const char *text;
    if (igm_sampler_check_objectives(s, cfg->n_objectives) == IGMOPT_OK)
        return IGMOPT_OK;
    text = igm_error_message();
    if (strncmp(text, "sampler: ", 9) == 0)
        text += 9;
    snprintf(message, sizeof message, "%s", text);
    kwarg = mapping && mapping->type == IGM_YAML_MAPPING
                ? igm_config_blamed_kwarg(mapping, message) : NULL;
    if (kwarg)
        snprintf(key, sizeof key, "sampler.%s", kwarg->text);
    return igm_config_error_at(cfg, key, "%s", message);
}

static int check_sampler(const igmopt_config *cfg)
{
    igmopt_sampler *s = NULL;
    int rc = igmopt_sampler_new(&s, cfg->sampler_method, cfg->sampler_kwargs_json);
    if (rc == IGMOPT_OK)
        rc = check_sampler_objectives(cfg, s);
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
 * the path, a relative one against command_dir (the message shows where
 * it looked). */
static int check_command(const igmopt_config *cfg)
{
    const char *name = cfg->command[0];
    int configured = igm_yaml_get(cfg->tree, "command", NULL) != NULL;
    char *path = NULL, shown[700];
    struct stat st;
    int rc = igm_resolve_program(&path, name, cfg->command_dir);
    if (rc)
        return rc;
    if (!path)
        return igm_config_error_at(cfg, "command", "program '%s' not found in PATH%s", name,
                                   configured ? "" : " (it is the default command; set "
                                   "command: in the file or give the trial command after --)");
    if (name[0] == '/')
        snprintf(shown, sizeof shown, "'%.500s'", name);
    else
        snprintf(shown, sizeof shown, "'%.300s' (in %.300s)", name, cfg->command_dir);
    if (stat(path, &st) != 0)
        rc = igm_config_error_at(cfg, "command", "program %s cannot be run: %s", shown,
                                 strerror(errno));
    else if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
        rc = igm_config_error_at(cfg, "command", "program %s is not an executable file",
                                 shown);
    free(path);
    return rc;
}

/* ---- storage ---------------------------------------------------------------- */

/* The SQLite file may be created at the start, but not its directory. */
static int check_storage_directory(const igmopt_config *cfg)
{
    static const char scheme[] = "sqlite:///";
    char dir[4096];
    struct stat st;
    size_t len;
    char *slash;
    if (!cfg->storage || strncmp(cfg->storage, scheme, sizeof scheme - 1) != 0)
        return IGMOPT_OK;
    len = strcspn(cfg->storage + sizeof scheme - 1, "?");
    if (len >= sizeof dir)
        return IGMOPT_OK; /* the storage names the problem when it opens */
    memcpy(dir, cfg->storage + sizeof scheme - 1, len);
    dir[len] = '\0';
    if (!(slash = strrchr(dir, '/')))
        return IGMOPT_OK;
    *(slash == dir ? slash + 1 : slash) = '\0';
    if (stat(dir, &st) != 0)
        return igm_config_error_at(cfg, "storage", "the database's directory %s: %s", dir,
                                   strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return igm_config_error_at(cfg, "storage", "the database's directory %s is not a "
                                   "directory", dir);
    return IGMOPT_OK;
}

/* A FIFO, device or link into a missing directory where the database
 * goes: refused as the open would. */
static int check_storage_file(const igmopt_config *cfg)
{
    char message[700];
    int rc;
    if (!cfg->storage || strncmp(cfg->storage, "sqlite:///", 10) != 0 ||
        (rc = igm_sqlite_file_check(cfg->storage)) == IGMOPT_OK)
        return IGMOPT_OK;
    if (rc == IGMOPT_ENOMEM)
        return rc;
    snprintf(message, sizeof message, "%s", igm_error_message());
    return igm_config_error_at(cfg, "storage", "%s", message);
}

/* ---- GPUs ------------------------------------------------------------------- */

/* Under an inherited CUDA_VISIBLE_DEVICES (a Slurm allocation) gpu_ids
 * index that list, so this depends on the environment the check runs in. */
static int check_gpus(const igmopt_config *cfg)
{
    igm_gpu_slots g;
    char message[600];
    const char *text;
    int rc = igm_gpu_slots_init(&g, cfg->gpu_ids, cfg->n_gpu_ids,
                                getenv("CUDA_VISIBLE_DEVICES"));
    igm_gpu_slots_clear(&g);
    if (rc != IGMOPT_ECONFIG)
        return rc;
    text = igm_error_message();
    if (strncmp(text, "gpu_ids: ", 9) == 0)
        text += 9;
    snprintf(message, sizeof message, "%s", text);
    return igm_config_error_at(cfg, "gpu_ids", "%s", message);
}

IGMOPT_API int igmopt_config_check(const igmopt_config *cfg)
{
    int rc;
    if (!cfg)
        return igm_error(IGMOPT_EINVAL, "igmopt_config_check: cfg must not be NULL");
    if ((rc = check_sampler(cfg)) || (rc = check_pruner(cfg)) || (rc = check_command(cfg)) ||
        (rc = check_gpus(cfg)) || (rc = check_storage_directory(cfg)) ||
        (rc = check_storage_file(cfg)))
        return rc;
    return IGMOPT_OK;
}
