/* The two kinds of YAML scalars the report writes, made safe to load
 * whatever bytes they hold. */
#ifndef CTL_YAML_OUT_H_INCLUDE
#define CTL_YAML_OUT_H_INCLUDE

#include <stddef.h>
#include <stdio.h>

/* Writes text as a double-quoted YAML scalar in plain ASCII: quotes,
 * backslashes and control bytes are escaped, valid UTF-8 becomes \u or \U
 * escapes of its code points, and any other byte a \x escape, so that a
 * region name of arbitrary bytes cannot break the document. */
void ctl_yaml_string(FILE *out, const char *text);

/* Formats value as a YAML number that every YAML 1.1 and 1.2 reader loads
 * as a number: an integer when it is whole, else a fixed-point decimal with
 * up to nine decimals (no exponent, which PyYAML would read as a string);
 * .nan and .inf otherwise.  Returns buffer. */
const char *ctl_yaml_number(double value, char *buffer, size_t size);

/* Enough room for any number ctl_yaml_number() writes. */
#define CTL_YAML_NUMBER_MAX 400

#endif
