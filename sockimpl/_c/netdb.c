/* Placeholder: resolver functions are being written. */
#include "internal.h"

PyMethodDef sockimpl_netdb_methods[] = {
    {NULL, NULL, 0, NULL}
};
