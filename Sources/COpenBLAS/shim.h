// The one C header the course needs: OpenBLAS's CBLAS interface, plus its thread control.
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
// openblas_set_num_threads and openblas_get_num_threads are declared in <cblas.h> by
// OpenBLAS itself; nothing else is needed here.
#endif
