#include "tests/conformance/common.h"

#include "kernel/platform.h"
#include "kernel/console.h"
#include "kernel/test.h"

static void skip_without_dmar(void)
{
	if (platform.dmar.present)
		return;
	if (platform.other_iommu)
		skip("no DMAR table: no Intel VT-d; %s found instead", platform.other_iommu);
	skip("no DMAR table: no Intel VT-d on this machine");
}

const struct dmar *need_dmar(void)
{
	skip_without_dmar();
	return &platform.dmar;
}

const struct acpi_table *need_dmar_table(void)
{
	skip_without_dmar();
	return acpi_find(&platform.acpi, "DMAR", 0);
}

void check_no_finding(const struct findings *f, enum finding_code code)
{
	char msg[128];

	for (unsigned i = 0; i < f->count; i++) {
		if (f->item[i].code != code)
			continue;
		snprintf(msg, sizeof(msg), finding_format(code),
			 (unsigned long long)f->item[i].arg[0],
			 (unsigned long long)f->item[i].arg[1]);
		check(false, "[%s] %s", finding_origin_name(finding_origin(code)), msg);
	}
}
