/*
 * order_fields.h - the fields of an order, by name: what the CSV header,
 * the JSON name and the option of `lkey-keygen issue` call each one, and
 * what it may hold (internal, shared by orders.c and order_terms.c)
 */
#ifndef LKEY_ORDER_FIELDS_H
#define LKEY_ORDER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "orders.h"

/* Indexes of order_field_info, in the order of the members of order_fields. */
enum {
	F_ORDER, F_PRODUCT, F_EDITION, F_SEATS, F_STARTS, F_EXPIRES,
	F_MAINTENANCE, F_SERIAL, F_FEATURES, F_LICENSEE, F_GRACE_DAYS,
	F_NOTICE_DAYS, F_MODULE_SEATS, F_TRIAL, F_ISSUED, F_HOST,
	F_MAINT_FEATURES
};

struct order_field {
	const char *name;	/* CSV header and JSON */
	const char *option;	/* as `lkey-keygen issue` names it */
	size_t off;		/* of the member in order_fields */
	bool required;
	bool number_ok;		/* JSON: a number, its text used */
	bool bool_ok;		/* JSON: true or false */
};

extern const struct order_field order_field_info[ORDERS_FIELDS];

/* The member of field k in f. */
const char **order_field_member(order_fields *f, size_t k);
const char *order_field_value(const order_fields *f, size_t k);

/*
 * The index of the field called `name`, or -1. license_expires and
 * maintenance_expires, as lkey-verify --json names them, are expires and
 * maintenance: a reader that meets both names of one field refuses it.
 */
int order_field_index(const char *name);

#endif
