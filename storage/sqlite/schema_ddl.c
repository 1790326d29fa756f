/* The Optuna schema's DDL, byte for byte as Optuna's SQLAlchemy writes it
 * (OPTUNA-STORAGE.md §1.1): a new file's sqlite_master must read the same
 * as one Optuna created.  schema.c decides what of it to run. */
#include "storage/sqlite/sqlite_internal.h"

/* In the order Optuna's SQLAlchemy emits them (sqlite_master order).  Only
 * missing objects are created, inside BEGIN IMMEDIATE, so the stored text
 * stays exactly this (no IF NOT EXISTS needed). */
const schema_object igm_sqlite_schema_objects[] = {
    {"studies", OBJ_TABLE,
     "CREATE TABLE studies (\n"
     "\tstudy_id INTEGER NOT NULL, \n"
     "\tstudy_name VARCHAR(512) NOT NULL, \n"
     "\tPRIMARY KEY (study_id)\n"
     ")"},
    {"ix_studies_study_name", OBJ_INDEX,
     "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)"},
    {"version_info", OBJ_TABLE,
     "CREATE TABLE version_info (\n"
     "\tversion_info_id INTEGER NOT NULL, \n"
     "\tschema_version INTEGER, \n"
     "\tlibrary_version VARCHAR(256), \n"
     "\tPRIMARY KEY (version_info_id), \n"
     "\tCHECK (version_info_id=1)\n"
     ")"},
    {"study_directions", OBJ_TABLE,
     "CREATE TABLE study_directions (\n"
     "\tstudy_direction_id INTEGER NOT NULL, \n"
     "\tdirection VARCHAR(8) NOT NULL, \n"
     "\tstudy_id INTEGER NOT NULL, \n"
     "\tobjective INTEGER NOT NULL, \n"
     "\tPRIMARY KEY (study_direction_id), \n"
     "\tUNIQUE (study_id, objective), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    {"study_user_attributes", OBJ_TABLE,
     "CREATE TABLE study_user_attributes (\n"
     "\tstudy_user_attribute_id INTEGER NOT NULL, \n"
     "\tstudy_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (study_user_attribute_id), \n"
     "\tUNIQUE (study_id, \"key\"), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    {"study_system_attributes", OBJ_TABLE,
     "CREATE TABLE study_system_attributes (\n"
     "\tstudy_system_attribute_id INTEGER NOT NULL, \n"
     "\tstudy_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (study_system_attribute_id), \n"
     "\tUNIQUE (study_id, \"key\"), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    {"trials", OBJ_TABLE,
     "CREATE TABLE trials (\n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\tnumber INTEGER, \n"
     "\tstudy_id INTEGER, \n"
     "\tstate VARCHAR(8) NOT NULL, \n"
     "\tdatetime_start DATETIME, \n"
     "\tdatetime_complete DATETIME, \n"
     "\tPRIMARY KEY (trial_id), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    /* SQLAlchemy emits a table's indexes right after it; this is the one
     * line a fresh 4.x/5.x file has beyond 3.1.0's DDL (§1.1, §1.7). */
    {"ix_trials_study_id", OBJ_INDEX_CURRENT_ONLY,
     "CREATE INDEX ix_trials_study_id ON trials (study_id)"},
    {"trial_user_attributes", OBJ_TABLE,
     "CREATE TABLE trial_user_attributes (\n"
     "\ttrial_user_attribute_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (trial_user_attribute_id), \n"
     "\tUNIQUE (trial_id, \"key\"), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_system_attributes", OBJ_TABLE,
     "CREATE TABLE trial_system_attributes (\n"
     "\ttrial_system_attribute_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (trial_system_attribute_id), \n"
     "\tUNIQUE (trial_id, \"key\"), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_params", OBJ_TABLE,
     "CREATE TABLE trial_params (\n"
     "\tparam_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER, \n"
     "\tparam_name VARCHAR(512), \n"
     "\tparam_value FLOAT, \n"
     "\tdistribution_json TEXT, \n"
     "\tPRIMARY KEY (param_id), \n"
     "\tUNIQUE (trial_id, param_name), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_values", OBJ_TABLE,
     "CREATE TABLE trial_values (\n"
     "\ttrial_value_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\tobjective INTEGER NOT NULL, \n"
     "\tvalue FLOAT, \n"
     "\tvalue_type VARCHAR(7) NOT NULL, \n"
     "\tPRIMARY KEY (trial_value_id), \n"
     "\tUNIQUE (trial_id, objective), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_intermediate_values", OBJ_TABLE,
     "CREATE TABLE trial_intermediate_values (\n"
     "\ttrial_intermediate_value_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\tstep INTEGER NOT NULL, \n"
     "\tintermediate_value FLOAT, \n"
     "\tintermediate_value_type VARCHAR(7) NOT NULL, \n"
     "\tPRIMARY KEY (trial_intermediate_value_id), \n"
     "\tUNIQUE (trial_id, step), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_heartbeats", OBJ_TABLE,
     "CREATE TABLE trial_heartbeats (\n"
     "\ttrial_heartbeat_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\theartbeat DATETIME NOT NULL, \n"
     "\tPRIMARY KEY (trial_heartbeat_id), \n"
     "\tUNIQUE (trial_id), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"alembic_version", OBJ_TABLE,
     "CREATE TABLE alembic_version (\n"
     "\tversion_num VARCHAR(32) NOT NULL, \n"
     "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
     ")"},
};
