/*
 * order_fields.c - the fields of an order, one table for the reader of
 * order files, the rules of the terms and the options of `issue`, so that
 * a field has one name and one kind wherever it is given
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "order_fields.h"

/* What a field is: required; in JSON, a number or true or false. */
#define REQUIRED 1
#define NUMBER 2
#define BOOLEAN 4
#define FIELD(member, option, kind) { #member, option, \
	offsetof(order_fields, member), ((kind) & REQUIRED) != 0, \
	((kind) & NUMBER) != 0, ((kind) & BOOLEAN) != 0 }

const struct order_field order_field_info[ORDERS_FIELDS] = {
	[F_ORDER] = FIELD(order, "order", 0),
	[F_PRODUCT] = FIELD(product, "--product", REQUIRED | NUMBER),
	[F_EDITION] = FIELD(edition, "--edition", REQUIRED | NUMBER),
	[F_SEATS] = FIELD(seats, "--seats", REQUIRED | NUMBER),
	[F_STARTS] = FIELD(starts, "--starts", 0),
	[F_EXPIRES] = FIELD(expires, "--expires", REQUIRED),
	[F_MAINTENANCE] = FIELD(maintenance, "--maintenance", REQUIRED),
	[F_SERIAL] = FIELD(serial, "--serial", NUMBER),
	[F_FEATURES] = FIELD(features, "--features", 0),
	[F_LICENSEE] = FIELD(licensee, "--licensee", 0),
	[F_GRACE_DAYS] = FIELD(grace_days, "--grace-days", NUMBER),
	[F_NOTICE_DAYS] = FIELD(notice_days, "--notice-days", NUMBER),
	[F_MODULE_SEATS] = FIELD(module_seats, "--module-seats", 0),
	[F_TRIAL] = FIELD(trial, "--trial", BOOLEAN),
	[F_ISSUED] = FIELD(issued, "--issued", 0),
	[F_HOST] = FIELD(host, "--host", 0),
	[F_MAINT_FEATURES] = FIELD(maintenance_features,
	    "--maintenance-features", 0),
};

_Static_assert(sizeof(order_fields) == ORDERS_FIELDS * sizeof(const char *),
    "order_field_info must list every member of order_fields");

const char **
order_field_member(order_fields *f, size_t k)
{
	return (const char **)(void *)((char *)f + order_field_info[k].off);
}

const char *
order_field_value(const order_fields *f, size_t k)
{
	return *(const char *const *)(const void *)((const char *)f +
	    order_field_info[k].off);
}

/*
 * Other names of fields: those lkey-verify --json prints for the two end
 * dates, so that its output can be fed back as an order.
 */
static const struct {
	const char *name;
	int field;
} aliases[] = {
	{ "license_expires", F_EXPIRES },
	{ "maintenance_expires", F_MAINTENANCE },
};

int
order_field_index(const char *name)
{
	size_t k;

	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (strcmp(order_field_info[k].name, name) == 0)
			return (int)k;
	}
	for (k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++) {
		if (strcmp(aliases[k].name, name) == 0)
			return aliases[k].field;
	}
	return -1;
}

int
order_fields_set_option(order_fields *f, const char *name, const char *value)
{
	const char *opt;
	size_t k;

	for (k = 0; k < ORDERS_FIELDS; k++) {
		opt = order_field_info[k].option;
		if (strncmp(opt, "--", 2) == 0 && strcmp(opt + 2, name) == 0) {
			*order_field_member(f, k) = value;
			return 0;
		}
	}
	return -1;
}
