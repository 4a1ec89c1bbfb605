#include <config.h>

#include <errno.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "geopm_error.h"
#include "output_file.h"
#include "report.h"
#include "report_fields.h"
#include "sync_time.h"
#include "yaml_out.h"

#define HASH_COMPUTE UINT64_C(0x0badc0de)
#define HASH_ALLREDUCE UINT64_C(0xac41a07e)
#define HASH_ODD UINT64_C(0x00000123)
#define SEC UINT64_C(1000000000)

/* The name a test gives a region of arbitrary bytes: a quote, a backslash,
 * a line break, a byte that is not UTF-8 and a valid two-byte sequence. */
static const char g_odd_name[] = "q\"b\\n\nx\xff\xc3\xa9";
static const char g_odd_escaped[] = "\"q\\\"b\\\\n\\x0ax\\xff\\u00e9\"";

struct fixture {
    char dir[64];
    char path[128];
    struct ctl_sync sync;
    char *text;
};

static struct geopm_job_region_record record(uint64_t hash, uint64_t hint, const char *name,
                                             uint64_t count, uint64_t total_ns)
{
    struct geopm_job_region_record r;
    memset(&r, 0, sizeof(r));
    r.id = geopm_region_id_make(hash, hint);
    r.count = count;
    r.total_ns = total_ns;
    r.hint_ns[hint] = total_ns;
    snprintf(r.name, sizeof(r.name), "%s", name);
    return r;
}

static struct ctl_report_process process(int32_t pid, int32_t rank, enum ctl_proc_status status,
                                         uint64_t runtime_ns, uint64_t epochs,
                                         uint64_t epoch_span_ns)
{
    struct ctl_report_process p;
    memset(&p, 0, sizeof(p));
    p.pid = pid;
    p.rank = rank;
    p.program = "bench";
    p.status = status;
    p.start_ns = 1 * SEC;
    p.end_ns = 1 * SEC + runtime_ns;
    p.epoch_count = epochs;
    p.epoch_first_ns = 2 * SEC;
    p.epoch_last_ns = 2 * SEC + epoch_span_ns;
    p.error_count = 1;
    p.overhead_ns = SEC / 10;
    p.events = 100;
    p.events_dropped = 7;
    return p;
}

static char *read_all(const char *path)
{
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    char *text = calloc(1, 1 << 20);
    assert_non_null(text);
    size_t used = fread(text, 1, (1 << 20) - 1, file);
    text[used] = '\0';
    fclose(file);
    return text;
}

static void write_report(struct fixture *fx, struct ctl_report *report, const char *profile)
{
    struct ctl_report_header header = {
        .version = "9.8.7",
        .start_time = "Thu Aug 11 06:03:32 2022",
        .profile = profile,
        .agent = "monitor",
        .host = "node-1",
        .memory_hwm_b = 123456,
        .app_sync_s = 7.5,
        .sync = &fx->sync,
    };
    struct ctl_output output;
    char msg[512];
    assert_int_equal(ctl_output_begin(fx->path, &output, msg, sizeof(msg)), 0);
    assert_int_equal(ctl_report_write(report, &header, output.file), 0);
    assert_int_equal(ctl_output_commit(&output, msg, sizeof(msg)), 0);
    free(fx->text);
    fx->text = read_all(fx->path);
}

/*
 * Two processes that count, and one corrupt that must not:
 *   rank 0, finished: 10 s, "compute" 100 x 4 s, "MPI_Allreduce" 50 x 2 s,
 *                     100 epochs over 8 s;
 *   rank 1, died:      6 s, "compute" 60 x 2 s, 60 epochs over 4 s;
 *   rank 2, corrupt:   its regions are ignored.
 */
static struct ctl_report *sample_report(void)
{
    struct ctl_report *report = NULL;
    assert_int_equal(ctl_report_create(&report), 0);
    struct geopm_job_region_record first[] = {
        record(HASH_COMPUTE, GEOPM_REGION_HINT_COMPUTE, "compute", 100, 4 * SEC),
        record(HASH_ALLREDUCE, GEOPM_REGION_HINT_NETWORK, "MPI_Allreduce", 50, 2 * SEC),
    };
    struct ctl_report_process p0 = process(1000, 0, CTL_PROC_FINISHED, 10 * SEC, 100, 8 * SEC);
    assert_int_equal(ctl_report_add(report, &p0, first, 2), 0);

    /* The same region under another hint is the same region (by hash). */
    struct geopm_job_region_record second[] = {
        record(HASH_COMPUTE, GEOPM_REGION_HINT_COMPUTE, "compute", 40, 1 * SEC),
        record(HASH_COMPUTE, GEOPM_REGION_HINT_MEMORY, "compute", 20, 1 * SEC),
    };
    struct ctl_report_process p1 = process(1001, 1, CTL_PROC_DIED, 6 * SEC, 60, 4 * SEC);
    assert_int_equal(ctl_report_add(report, &p1, second, 2), 0);

    struct geopm_job_region_record ignored[] = {
        record(HASH_COMPUTE, GEOPM_REGION_HINT_COMPUTE, "compute", 999, 999 * SEC),
    };
    struct ctl_report_process p2 = process(1002, 2, CTL_PROC_CORRUPT, 50 * SEC, 9, SEC);
    p2.message = "state 9 is not a slot state";
    assert_int_equal(ctl_report_add(report, &p2, ignored, 1), 0);
    return report;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/geopm-test-report-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof(fx->path), "%s/job.report", fx->dir);
    assert_int_equal(ctl_sync_init(&fx->sync), 0);
    ctl_sync_add(&fx->sync, HASH_COMPUTE, 2.5);
    ctl_sync_add(&fx->sync, GEOPM_REGION_HASH_UNMARKED, 1.25);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    DIR *dir = opendir(fx->dir);
    if (dir != NULL) {
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
            if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
                char path[512];
                snprintf(path, sizeof(path), "%s/%s", fx->dir, entry->d_name);
                if (unlink(path) != 0) {
                    rmdir(path);
                }
            }
        }
        closedir(dir);
    }
    rmdir(fx->dir);
    ctl_sync_fini(&fx->sync);
    free(fx->text);
    free(fx);
    return 0;
}

/* The part of the report that start begins: below a "key:" line, the
 * lines indented more (and its list's "-" lines); from a "key: value" line
 * of a list entry, the rest of that entry. */
static char *section(const char *text, const char *start)
{
    const char *at = strstr(text, start);
    if (at == NULL) {
        print_error("no \"%s\" in the report\n", start);
        fail();
    }
    const char *line = at;
    while (line > text && line[-1] != '\n') {
        --line;
    }
    size_t indent = strspn(line, " ");
    const char *end = strchr(at, '\n');
    bool children = end != NULL && end[-1] == ':';
    while (end != NULL && end[1] != '\0') {
        size_t next = strspn(end + 1, " ");
        bool inside = children ? next > indent || (next == indent && end[1 + next] == '-')
                               : next >= indent;
        if (!inside) {
            break;
        }
        end = strchr(end + 1, '\n');
    }
    size_t length = end == NULL ? strlen(line) : (size_t)(end - line) + 1;
    return strndup(line, length);
}

static void expect_line(const char *text, const char *line)
{
    if (strstr(text, line) == NULL) {
        print_error("expected \"%s\" in:\n%s\n", line, text);
        fail();
    }
}

static void test_averages_and_sections(void **state)
{
    struct fixture *fx = *state;
    struct ctl_report *report = sample_report();
    write_report(fx, report, "my profile");
    ctl_report_destroy(report);
    const char *text = fx->text;

    const char *head = "GEOPM Version: \"9.8.7\"\nStart Time: \"Thu Aug 11 06:03:32 2022\"\n"
                       "Profile: \"my profile\"\nAgent: \"monitor\"\nPolicy: {}\n\n"
                       "Hosts:\n  \"node-1\":\n    Regions:\n    -\n";
    assert_true(strncmp(text, head, strlen(head)) == 0);

    /* compute: (4 + 2) s / 2 processes, (100 + 60) / 2 visits; sorted first. */
    char expected[512];
    snprintf(expected, sizeof(expected),
             "      region: \"compute\"\n      hash: 0x%08llx\n      runtime (s): 3\n"
             "      count: 80\n      sync-runtime (s): 2.5\n      time-hint-network (s): 0\n",
             (unsigned long long)HASH_COMPUTE);
    expect_line(text, expected);
    char *compute = section(text, "region: \"compute\"");
    expect_line(compute, "time-hint-compute (s): 2.5\n");
    expect_line(compute, "time-hint-memory (s): 0.5\n");
    free(compute);
    assert_true(strstr(text, "region: \"compute\"") < strstr(text, "region: \"MPI_Allreduce\""));
    char *allreduce = section(text, "region: \"MPI_Allreduce\"");
    expect_line(allreduce, "runtime (s): 1\n");
    expect_line(allreduce, "count: 25\n");
    expect_line(allreduce, "time-hint-network (s): 1\n");
    expect_line(allreduce, "sync-runtime (s): 0\n");
    free(allreduce);

    /* Unmarked: (10 - 6) and (6 - 2) s, averaged. */
    char *unmarked = section(text, "Unmarked Totals:");
    expect_line(unmarked, "runtime (s): 4\n      count: 0\n      sync-runtime (s): 1.25\n");
    expect_line(unmarked, "time-hint-unset (s): 4\n");
    expect_line(unmarked, "time-hint-compute (s): 0\n");
    free(unmarked);
    char *epoch = section(text, "Epoch Totals:");
    expect_line(epoch, "runtime (s): 6\n      count: 80\n      sync-runtime (s): 6\n");
    free(epoch);

    char *app = section(text, "Application Totals:");
    expect_line(app, "      runtime (s): 8\n      count: 0\n      sync-runtime (s): 7.5\n");
    expect_line(app, "time-hint-compute (s): 2.5\n");
    expect_line(app, "time-hint-network (s): 1\n");
    expect_line(app, "time-hint-memory (s): 0.5\n");
    expect_line(app, "time-hint-unset (s): 4\n");
    expect_line(app, "GEOPM overhead (s): 0.1\n");
    expect_line(app, "geopmctl memory HWM (B): 123456\n");
    expect_line(app, "processes: 3\n      processes died: 1\n      processes corrupt: 1\n");
    expect_line(app, "errors: 3\n      trace events: 300\n      trace events lost: 21\n");
    free(app);

    /* Per process, in rank order; the corrupt one named, with its reason. */
    char *processes = section(text, "Processes:");
    expect_line(processes, "      pid: 1001\n      rank: 1\n      program: \"bench\"\n"
                           "      status: died\n      runtime (s): 6\n      epoch count: 60\n"
                           "      epoch runtime (s): 4\n");
    expect_line(processes, "      pid: 1002\n      rank: 2\n      program: \"bench\"\n"
                           "      status: corrupt\n"
                           "      message: \"state 9 is not a slot state\"\n");
    expect_line(processes, "        region: \"compute\"\n");
    expect_line(processes, "        runtime (s): 2\n        count: 60\n");
    expect_line(processes, "        runtime (s): 4\n        count: 100\n");
    assert_true(strstr(processes, "pid: 1000") < strstr(processes, "pid: 1001"));
    assert_null(strstr(processes, "count: 999"));
    free(processes);
    assert_null(strstr(text, "999"));
}

/* Every field of the list appears in every section it names, in the
 * list's order: the writer and this check both come from one list. */
static void test_field_list(void **state)
{
    struct fixture *fx = *state;
    struct ctl_report *report = sample_report();
    write_report(fx, report, "p");
    ctl_report_destroy(report);
    static const struct {
        const char *start;
        unsigned int section;
    } sections[] = {
        {"region: \"compute\"", CTL_SECTION_REGION},
        {"Unmarked Totals:", CTL_SECTION_UNMARKED},
        {"Epoch Totals:", CTL_SECTION_EPOCH},
        {"Application Totals:", CTL_SECTION_APP},
        {"pid: 1000", CTL_SECTION_PROCESS},
    };
    for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); ++s) {
        char *text = section(fx->text, sections[s].start);
        const char *last = text;
        int written = 0;
#define TEST_FIELD_PRESENT_(key, field_sections, member)                                   \
    do {                                                                                    \
        char line[128];                                                                     \
        snprintf(line, sizeof(line), "\n      %s: ", key);                                  \
        const char *found = strstr(text, line);                                             \
        if (((field_sections) & sections[s].section) != 0) {                                \
            if (found == NULL || found < last) {                                            \
                print_error("%s: \"%s\" missing or out of order\n", sections[s].start, key); \
                fail();                                                                     \
            }                                                                               \
            last = found;                                                                   \
            ++written;                                                                      \
        }                                                                                   \
        else if (found != NULL) {                                                           \
            print_error("%s: \"%s\" does not belong there\n", sections[s].start, key);      \
            fail();                                                                         \
        }                                                                                   \
    } while (0);
        CTL_REPORT_FIELDS(TEST_FIELD_PRESENT_)
#undef TEST_FIELD_PRESENT_
        assert_true(written > 0);
        free(text);
    }
    /* GEOPM's names of all eleven hints. */
    static const char *const hints[] = {"network", "ignore", "compute", "memory", "io", "serial",
                                        "parallel", "unknown", "unset", "spin", "inactive"};
    for (size_t h = 0; h < sizeof(hints) / sizeof(hints[0]); ++h) {
        char key[64];
        snprintf(key, sizeof(key), "time-hint-%s (s): ", hints[h]);
        expect_line(fx->text, key);
    }
}

static void test_names_escaped(void **state)
{
    struct fixture *fx = *state;
    struct ctl_report *report = NULL;
    assert_int_equal(ctl_report_create(&report), 0);
    struct geopm_job_region_record odd = record(HASH_ODD, 0, g_odd_name, 1, SEC);
    struct ctl_report_process p = process(7, -1, CTL_PROC_FINISHED, 2 * SEC, 0, 0);
    p.program = "a\"b";
    assert_int_equal(ctl_report_add(report, &p, &odd, 1), 0);
    write_report(fx, report, "pro\"file\n");
    ctl_report_destroy(report);
    char line[256];
    snprintf(line, sizeof(line), "      region: %s\n", g_odd_escaped);
    expect_line(fx->text, line);
    expect_line(fx->text, "Profile: \"pro\\\"file\\x0a\"\n");
    expect_line(fx->text, "program: \"a\\\"b\"\n");
    expect_line(fx->text, "rank: -1\n");
    /* The document is plain ASCII, one line per field. */
    for (const char *at = fx->text; *at != '\0'; ++at) {
        assert_true((unsigned char)*at < 0x80);
    }
}

/* Loads the report with Python's yaml.safe_load, when both are there, and
 * checks values that only a correct document gives. */
static void test_loads_as_yaml(void **state)
{
    struct fixture *fx = *state;
    if (system("python3 -c 'import yaml' >/dev/null 2>&1") != 0) {
        skip();
    }
    struct ctl_report *report = sample_report();
    struct geopm_job_region_record odd = record(HASH_ODD, 0, g_odd_name, 3, 9 * SEC);
    struct ctl_report_process p = process(1003, 3, CTL_PROC_FINISHED, 20 * SEC, 0, 0);
    assert_int_equal(ctl_report_add(report, &p, &odd, 1), 0);
    write_report(fx, report, "yaml: {test}");
    ctl_report_destroy(report);
    char command[1024];
    snprintf(command, sizeof(command),
             "python3 -c '\n"
             "import sys, yaml\n"
             "r = yaml.safe_load(open(sys.argv[1]))\n"
             "h = r[\"Hosts\"][\"node-1\"]\n"
             "assert r[\"Profile\"] == \"yaml: {test}\", r[\"Profile\"]\n"
             "assert r[\"Policy\"] == {}\n"
             "names = [x[\"region\"] for x in h[\"Regions\"]]\n"
             "odd = \"q\\\"b\\\\n\\nx\\xff\\xe9\"\n"
             "assert names == [odd, \"compute\", \"MPI_Allreduce\"], names\n"
             "assert h[\"Regions\"][0][\"hash\"] == 0x123\n"
             "assert h[\"Regions\"][0][\"runtime (s)\"] == 3\n"
             "assert abs(h[\"Regions\"][1][\"count\"] - 160 / 3) < 1e-6\n"
             "assert h[\"Application Totals\"][\"processes\"] == 4\n"
             "assert abs(h[\"Epoch Totals\"][\"count\"] - 160 / 3) < 1e-6\n"
             "assert len(h[\"Processes\"]) == 4\n"
             "assert h[\"Processes\"][3][\"Regions\"][0][\"region\"] == odd\n"
             "' %s",
             fx->path);
    assert_int_equal(system(command), 0);
}

static void test_empty_report(void **state)
{
    struct fixture *fx = *state;
    struct ctl_report *report = NULL;
    assert_int_equal(ctl_report_create(&report), 0);
    write_report(fx, report, "none");
    ctl_report_destroy(report);
    assert_null(strstr(fx->text, "Regions:"));
    assert_null(strstr(fx->text, "Unmarked Totals:"));
    assert_null(strstr(fx->text, "Epoch Totals:"));
    assert_null(strstr(fx->text, "Processes:"));
    char *app = section(fx->text, "Application Totals:");
    expect_line(app, "runtime (s): 0\n");
    expect_line(app, "processes: 0\n");
    free(app);
}

/* A process without regions first (one killed before it marked any): the
 * next one's regions are still listed, sorted by runtime; the ASan+UBSan
 * build checks that nothing is sorted or copied from a NULL table. */
static void test_first_process_without_regions(void **state)
{
    struct fixture *fx = *state;
    struct ctl_report *report = NULL;
    assert_int_equal(ctl_report_create(&report), 0);
    struct ctl_report_process dead = process(3000, 0, CTL_PROC_DIED, SEC, 0, 0);
    assert_int_equal(ctl_report_add(report, &dead, NULL, 0), 0);
    struct geopm_job_region_record regions[] = {
        record(HASH_ALLREDUCE, GEOPM_REGION_HINT_NETWORK, "MPI_Allreduce", 5, 1 * SEC),
        record(HASH_COMPUTE, GEOPM_REGION_HINT_COMPUTE, "compute", 10, 3 * SEC),
    };
    struct ctl_report_process alive = process(3001, 1, CTL_PROC_FINISHED, 5 * SEC, 0, 0);
    assert_int_equal(ctl_report_add(report, &alive, regions, 2), 0);
    write_report(fx, report, "first-empty");
    ctl_report_destroy(report);
    char *processes = section(fx->text, "Processes:");
    const char *compute = strstr(processes, "region: \"compute\"");
    const char *allreduce = strstr(processes, "region: \"MPI_Allreduce\"");
    assert_non_null(compute);
    assert_non_null(allreduce);
    assert_true(compute < allreduce);
    free(processes);
}

static void test_numbers(void **state)
{
    (void)state;
    char buffer[CTL_YAML_NUMBER_MAX];
    assert_string_equal(ctl_yaml_number(0.1, buffer, sizeof(buffer)), "0.1");
    assert_string_equal(ctl_yaml_number(1e-5, buffer, sizeof(buffer)), "0.00001");
    assert_string_equal(ctl_yaml_number(200, buffer, sizeof(buffer)), "200");
    assert_string_equal(ctl_yaml_number(-2.5, buffer, sizeof(buffer)), "-2.5");
    assert_string_equal(ctl_yaml_number(1e20, buffer, sizeof(buffer)), "100000000000000000000");
    assert_string_equal(ctl_yaml_number(0.0 / 0.0, buffer, sizeof(buffer)), ".nan");
    assert_string_equal(ctl_yaml_number(1.0 / 0.0, buffer, sizeof(buffer)), ".inf");
    assert_string_equal(ctl_yaml_number(-0.0, buffer, sizeof(buffer)), "0");
    assert_string_equal(ctl_yaml_number(1.5e-10, buffer, sizeof(buffer)), "0");
    assert_string_equal(ctl_yaml_number(-1.5e-10, buffer, sizeof(buffer)), "0");
    assert_string_equal(ctl_yaml_number(1.0 / 3.0, buffer, sizeof(buffer)), "0.333333333");
    ctl_yaml_number(1.7976931348623157e308, buffer, sizeof(buffer));
    assert_int_equal(strlen(buffer), 309);
}

/* The report replaces a file of ours, and refuses anything else, leaving
 * it as it was; no temporary file stays behind either way. */
static void test_target_safety(void **state)
{
    struct fixture *fx = *state;
    char msg[512];
    struct ctl_output output;
    FILE *old = fopen(fx->path, "w");
    assert_non_null(old);
    fputs("old report\n", old);
    fclose(old);
    assert_int_equal(ctl_output_begin(fx->path, &output, msg, sizeof(msg)), 0);
    fputs("new report\n", output.file);
    assert_int_equal(ctl_output_commit(&output, msg, sizeof(msg)), 0);
    char *text = read_all(fx->path);
    assert_string_equal(text, "new report\n");
    free(text);
    unlink(fx->path);

    char victim[160];
    snprintf(victim, sizeof(victim), "%s/victim", fx->dir);
    FILE *file = fopen(victim, "w");
    assert_non_null(file);
    fputs("keep me\n", file);
    fclose(file);
    assert_int_equal(symlink(victim, fx->path), 0);
    assert_int_equal(ctl_output_begin(fx->path, &output, msg, sizeof(msg)), GEOPM_ERROR_UNSAFE);
    assert_non_null(strstr(msg, fx->path));
    FILE *trace = NULL;
    assert_int_equal(ctl_output_open(fx->path, &trace, msg, sizeof(msg)), -ELOOP);
    text = read_all(victim);
    assert_string_equal(text, "keep me\n");
    free(text);
    unlink(fx->path);

    /* A target that appears while the report is written is refused too. */
    assert_int_equal(ctl_output_begin(fx->path, &output, msg, sizeof(msg)), 0);
    fputs("late\n", output.file);
    assert_int_equal(mkdir(fx->path, 0700), 0);
    assert_int_equal(ctl_output_commit(&output, msg, sizeof(msg)), GEOPM_ERROR_UNSAFE);
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    rmdir(fx->path);

    if (geteuid() == 0) {
        file = fopen(fx->path, "w");
        assert_non_null(file);
        fclose(file);
        assert_int_equal(chown(fx->path, 65534, 65534), 0);
        assert_int_equal(ctl_output_begin(fx->path, &output, msg, sizeof(msg)),
                         GEOPM_ERROR_UNSAFE);
        assert_int_equal(ctl_output_open(fx->path, &trace, msg, sizeof(msg)), GEOPM_ERROR_UNSAFE);
        unlink(fx->path);
    }
    /* Only the victim is left: no temporary report. */
    DIR *dir = opendir(fx->dir);
    assert_non_null(dir);
    struct dirent *entry;
    int entries = 0;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
            ++entries;
            assert_string_equal(entry->d_name, "victim");
        }
    }
    closedir(dir);
    assert_int_equal(entries, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_averages_and_sections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loads_as_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_process_without_regions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_report, setup, teardown),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test_setup_teardown(test_target_safety, setup, teardown),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
