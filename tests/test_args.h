/* The numeric arguments of the test and benchmark programs. */
#ifndef TEST_ARGS_H_INCLUDE
#define TEST_ARGS_H_INCLUDE

#include <stdio.h>
#include <stdlib.h>

/* argv[index] as a whole number from min to max, or fallback when it is
 * not given; anything else stops the program with status 2 and a message
 * naming the argument. */
static inline long test_argument(int argc, char **argv, int index, long fallback, long min,
                                 long max)
{
    if (argc <= index) {
        return fallback;
    }
    char *end = NULL;
    long value = strtol(argv[index], &end, 10);
    if (*argv[index] == '\0' || *end != '\0' || value < min || value > max) {
        fprintf(stderr, "%s: bad argument %d \"%s\" (%ld to %ld)\n", argv[0], index,
                argv[index], min, max);
        exit(2);
    }
    return value;
}

#endif
