/* What sits under a name that should be a regular file, in words for
 * messages ("a FIFO", "a directory", ...). */
#ifndef IGM_FILE_KIND_H
#define IGM_FILE_KIND_H

#include <sys/stat.h>

const char *igm_file_kind(mode_t mode);

#endif
