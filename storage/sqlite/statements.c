/* The SQL of every statement the backend keeps prepared, by stmt_id (the
 * schema's DDL is in schema_ddl.c, one-off statements beside their use).
 * Prepared on first use and kept for the connection's life (execute.c). */
#include "storage/sqlite/sqlite_internal.h"

/* The trials read_trials selects: ?1 study, ?2 after this trial_id, ?3 a
 * JSON array of further ids.  Two halves so each uses an index: a range
 * (on ix_trials_study_id or the rowid) and rowid look-ups; the `+` keeps
 * the planner from scanning the study's index for the look-ups. */
#define SELECTED_TRIALS(cols)                                                                 \
    "SELECT " cols " FROM trials WHERE study_id = ?1 AND trial_id > ?2 "                     \
    "UNION ALL SELECT " cols " FROM trials WHERE +study_id = ?1 AND trial_id <= ?2 "         \
    "AND trial_id IN (SELECT value FROM json_each(?3))"
#define SELECTED_IDS "WITH ids(id) AS (" SELECTED_TRIALS("trial_id") ") "
#define ATTR_UPSERT(table, owner)                                                             \
    "INSERT INTO " table " (" owner ", \"key\", value_json) VALUES (?1, ?2, ?3) "            \
    "ON CONFLICT (" owner ", \"key\") DO UPDATE SET value_json = excluded.value_json"

const char *const igm_sqlite_stmt_sql[N_STMT] = {
    [ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_STUDY_INSERT] = "INSERT INTO studies (study_name) VALUES (?1)",
    [ST_DIRECTION_INSERT] =
        "INSERT INTO study_directions (direction, study_id, objective) VALUES (?1, ?2, ?3)",
    [ST_STUDY_BY_NAME] = "SELECT study_id FROM studies WHERE study_name = ?1",
    [ST_STUDY_EXISTS] = "SELECT 1 FROM studies WHERE study_id = ?1",
    [ST_STUDY_DIRECTIONS] =
        "SELECT direction, objective FROM study_directions WHERE study_id = ?1 "
        "ORDER BY objective",
    [ST_STUDY_NAMES] = "SELECT study_name FROM studies ORDER BY study_id",
    [ST_STUDY_USER_ATTR_UPSERT] = ATTR_UPSERT("study_user_attributes", "study_id"),
    [ST_STUDY_SYSTEM_ATTR_UPSERT] = ATTR_UPSERT("study_system_attributes", "study_id"),
    [ST_STUDY_USER_ATTRS] = "SELECT \"key\", value_json FROM study_user_attributes "
                            "WHERE study_id = ?1 ORDER BY study_user_attribute_id",
    [ST_STUDY_SYSTEM_ATTRS] = "SELECT \"key\", value_json FROM study_system_attributes "
                              "WHERE study_id = ?1 ORDER BY study_system_attribute_id",
    [ST_TRIAL_INSERT] = "INSERT INTO trials (number, study_id, state, datetime_start, "
                        "datetime_complete) VALUES (NULL, ?1, ?2, ?3, ?4)",
    [ST_TRIAL_PREVIOUS_NUMBER] = "SELECT number FROM trials WHERE study_id = ?1 AND "
                                 "trial_id < ?2 ORDER BY trial_id DESC LIMIT 1",
    [ST_TRIAL_COUNT_BEFORE] =
        "SELECT count(*) FROM trials WHERE study_id = ?1 AND trial_id < ?2",
    [ST_TRIAL_COUNT_STARTED] =
        "SELECT count(*) FROM trials WHERE study_id = ?1 AND state != 'WAITING'",
    [ST_TRIAL_SET_NUMBER] = "UPDATE trials SET number = ?1 WHERE trial_id = ?2",
    [ST_TRIAL_STATE] = "SELECT state, number FROM trials WHERE trial_id = ?1",
    [ST_TRIAL_FINISH] =
        "UPDATE trials SET state = ?1, datetime_complete = ?2 WHERE trial_id = ?3",
    [ST_WAITING_NEXT] = "SELECT trial_id, number FROM trials WHERE study_id = ?1 AND "
                        "trial_id > ?2 AND state = 'WAITING' ORDER BY trial_id LIMIT 1",
    [ST_WAITING_TAKE] = "UPDATE trials SET state = 'RUNNING', datetime_start = ?1 "
                        "WHERE trial_id = ?2 AND state = 'WAITING'",
    [ST_WAITING_PEEK] =
        "SELECT (SELECT coalesce(max(trial_id), 0) FROM trials), (SELECT trial_id FROM trials "
        "WHERE study_id = ?1 AND trial_id > ?2 AND state = 'WAITING' LIMIT 1)",
    [ST_PARAM_UPSERT] =
        "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trial_id, param_name) DO UPDATE SET "
        "param_value = excluded.param_value, distribution_json = excluded.distribution_json",
    /* One statement is its own transaction: the state test and the write
     * are atomic without BEGIN ... COMMIT (a third of a suggest's cost). */
    [ST_PARAM_UPSERT_IF_RUNNING] =
        "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
        "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM trials WHERE trial_id = ?1 AND "
        "state = 'RUNNING') ON CONFLICT (trial_id, param_name) DO UPDATE SET "
        "param_value = excluded.param_value, distribution_json = excluded.distribution_json",
    [ST_VALUE_UPSERT] =
        "INSERT INTO trial_values (trial_id, objective, value, value_type) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trial_id, objective) DO UPDATE SET "
        "value = excluded.value, value_type = excluded.value_type",
    [ST_INTERMEDIATE_UPSERT] =
        "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, "
        "intermediate_value_type) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trial_id, step) "
        "DO UPDATE SET intermediate_value = excluded.intermediate_value, "
        "intermediate_value_type = excluded.intermediate_value_type",
    [ST_TRIAL_USER_ATTR_UPSERT] = ATTR_UPSERT("trial_user_attributes", "trial_id"),
    [ST_TRIAL_SYSTEM_ATTR_UPSERT] = ATTR_UPSERT("trial_system_attributes", "trial_id"),
    [ST_READ_TRIALS] =
        SELECTED_TRIALS("trial_id, number, state, datetime_start, datetime_complete")
        " ORDER BY 1",
    /* Every child row of those trials, one kind per table (child_kind, and the
     * COL_* columns), by trial; params in param_id order = suggestion order
     * (§2.2). */
    [ST_READ_CHILDREN] = SELECTED_IDS
        "SELECT p.trial_id, 0, p.param_id, p.param_name, p.param_value, p.distribution_json "
        "FROM ids CROSS JOIN trial_params p ON p.trial_id = ids.id "
        "UNION ALL SELECT v.trial_id, 1, v.objective, NULL, v.value, v.value_type "
        "FROM ids CROSS JOIN trial_values v ON v.trial_id = ids.id "
        "UNION ALL SELECT v.trial_id, 2, v.step, NULL, v.intermediate_value, "
        "v.intermediate_value_type FROM ids CROSS JOIN trial_intermediate_values v "
        "ON v.trial_id = ids.id "
        "UNION ALL SELECT a.trial_id, 3, a.trial_user_attribute_id, a.\"key\", NULL, "
        "a.value_json FROM ids CROSS JOIN trial_user_attributes a ON a.trial_id = ids.id "
        "UNION ALL SELECT a.trial_id, 4, a.trial_system_attribute_id, a.\"key\", NULL, "
        "a.value_json FROM ids CROSS JOIN trial_system_attributes a ON a.trial_id = ids.id "
        "ORDER BY 1, 2, 3",
    [ST_HEARTBEAT_UPSERT] =
        "INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?1, ?2) "
        "ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat",
    /* Optuna's own rows hold "YYYY-MM-DD HH:MM:SS" or the same with
     * ".ffffff": both order as text against ?2 in the longer form. */
    [ST_STALE_TRIALS] =
        "SELECT t.trial_id, t.number FROM trials t JOIN trial_heartbeats h "
        "ON h.trial_id = t.trial_id WHERE t.study_id = ?1 AND t.state = 'RUNNING' "
        "AND h.heartbeat < ?2 ORDER BY t.trial_id",
};
