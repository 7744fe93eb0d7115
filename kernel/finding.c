/*
 * Findings: the lookup side of FINDING_LIST. Every property of a code comes
 * from its one row there, so a new finding is one line in finding.h.
 */
#include "finding.h"

struct finding_info {
	enum finding_origin origin;
	enum finding_severity severity;
	const char *format;
};

static const struct finding_info finding_info[FINDING_CODE_COUNT] = {
#define FINDING_INFO(code, origin, sev, fmt) [code] = { ORIGIN_##origin, SEV_##sev, fmt },
	FINDING_LIST(FINDING_INFO)
#undef FINDING_INFO
};

static bool finding_valid(enum finding_code code)
{
	return (unsigned)code < FINDING_CODE_COUNT;
}

void finding_add(struct findings *f, enum finding_code code, uint64_t a, uint64_t b)
{
	if (f->count >= FINDINGS_MAX) {
		f->dropped++;
		return;
	}
	f->item[f->count].code = code;
	f->item[f->count].arg[0] = a;
	f->item[f->count].arg[1] = b;
	f->count++;
}

bool finding_has(const struct findings *f, enum finding_code code)
{
	for (unsigned i = 0; i < f->count && i < FINDINGS_MAX; i++)
		if (f->item[i].code == code)
			return true;
	return false;
}

enum finding_origin finding_origin(enum finding_code code)
{
	return finding_valid(code) ? finding_info[code].origin : ORIGIN_HARNESS;
}

enum finding_severity finding_severity(enum finding_code code)
{
	return finding_valid(code) ? finding_info[code].severity : SEV_ERROR;
}

const char *finding_format(enum finding_code code)
{
	return finding_valid(code) ? finding_info[code].format : "unknown finding code";
}

const char *finding_origin_name(enum finding_origin origin)
{
	switch (origin) {
	case ORIGIN_FIRMWARE:
		return "firmware";
	case ORIGIN_HARDWARE:
		return "hardware";
	case ORIGIN_HARNESS:
		return "harness";
	}
	return "unknown";
}
