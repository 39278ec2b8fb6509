/* Placeholder: the constant table is being written. */
#include "internal.h"

int
sockimpl_add_constants(PyObject *Py_UNUSED(module))
{
    return 0;
}
