#include <config.h>

#include "yaml_out.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Decodes one UTF-8 sequence at text: its code point and length, or 0 when
 * the bytes there are not a valid, shortest-form sequence. */
static size_t utf8_decode(const unsigned char *text, uint32_t *code_point)
{
    unsigned char lead = text[0];
    size_t length;
    uint32_t value;
    uint32_t min;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        value = lead & 0x1fu;
        min = 0x80;
    }
    else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        value = lead & 0x0fu;
        min = 0x800;
    }
    else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        value = lead & 0x07u;
        min = 0x10000;
    }
    else {
        return 0;
    }
    for (size_t i = 1; i < length; ++i) {
        /* A NUL ends the string here too: it is not a continuation byte. */
        if ((text[i] & 0xc0u) != 0x80u) {
            return 0;
        }
        value = (value << 6) | (text[i] & 0x3fu);
    }
    if (value < min || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
        return 0;
    }
    *code_point = value;
    return length;
}

void ctl_yaml_string(FILE *out, const char *text)
{
    const unsigned char *at = (const unsigned char *)(text != NULL ? text : "");
    fputc('"', out);
    while (*at != '\0') {
        unsigned char c = *at;
        uint32_t code_point = 0;
        /* Bytes from 0x80 on start a UTF-8 sequence, or are not text. */
        size_t length = c >= 0x80 ? utf8_decode(at, &code_point) : 0;
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            ++at;
        }
        else if (c >= 0x20 && c < 0x7f) {
            fputc(c, out);
            ++at;
        }
        else if (length != 0) {
            if (code_point <= 0xffff) {
                fprintf(out, "\\u%04x", (unsigned int)code_point);
            }
            else {
                fprintf(out, "\\U%08x", (unsigned int)code_point);
            }
            at += length;
        }
        else {
            fprintf(out, "\\x%02x", (unsigned int)c);
            ++at;
        }
    }
    fputc('"', out);
}

static void trim_zeros(char *text)
{
    char *dot = strchr(text, '.');
    if (dot == NULL) {
        return;
    }
    char *end = text + strlen(text);
    while (end > dot + 1 && end[-1] == '0') {
        --end;
    }
    if (end == dot + 1) {
        end = dot;
    }
    *end = '\0';
}

const char *ctl_yaml_number(double value, char *buffer, size_t size)
{
    if (isnan(value)) {
        snprintf(buffer, size, ".nan");
    }
    else if (isinf(value)) {
        snprintf(buffer, size, value > 0 ? ".inf" : "-.inf");
    }
    else if (value == 0.0) {
        snprintf(buffer, size, "0");
    }
    else if (value == floor(value)) {
        snprintf(buffer, size, "%.0f", value);
    }
    else {
        snprintf(buffer, size, "%.9f", value);
        trim_zeros(buffer);
        if (strcmp(buffer, "-0") == 0) {
            snprintf(buffer, size, "0");
        }
    }
    return buffer;
}
