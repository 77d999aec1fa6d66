#include "resolve.h"
void resolve_program(Program *p) { (void)p; }
void resolve_free(Program *p) { (void)p; }
