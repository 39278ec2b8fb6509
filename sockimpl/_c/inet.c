/* Placeholder: address text and byte-order functions are being written. */
#include "internal.h"

PyMethodDef sockimpl_inet_methods[] = {
    {NULL, NULL, 0, NULL}
};
