# METADATA
# title: streamguard value helpers
# description: >-
#   Safe path access and value display shared by every rule. Paths are read with direct
#   references, never object.get on arrays (an out-of-range index there is an error in rego-cpp),
#   and messages are built with concat (rego-cpp's sprintf quotes computed strings).
# custom:
#   public: true
package streamguard.lib.util

import rego.v1

# at(x, path) is the value at path, undefined when any step is missing (paths up to 8 steps:
# an S3 bucket's legacy SSE key reference is 8 deep). rego-cpp evaluates every body of a function
# on each call, so the common one- and two-step paths are tried before the rest.
at(x, path) := x[path[0]] if count(path) == 1

at(x, path) := x[path[0]][path[1]] if count(path) == 2

at(x, path) := _at_long(x, path) if not count(path) in {1, 2}

_at_long(x, path) := x if count(path) == 0

_at_long(x, path) := x[path[0]][path[1]][path[2]] if count(path) == 3

_at_long(x, path) := x[path[0]][path[1]][path[2]][path[3]] if count(path) == 4

_at_long(x, path) := x[path[0]][path[1]][path[2]][path[3]][path[4]] if count(path) == 5

_at_long(x, path) := x[path[0]][path[1]][path[2]][path[3]][path[4]][path[5]] if count(path) == 6

_at_long(x, path) := x[path[0]][path[1]][path[2]][path[3]][path[4]][path[5]][path[6]] if count(path) == 7

_at_long(x, path) := x[path[0]][path[1]][path[2]][path[3]][path[4]][path[5]][path[6]][path[7]] if count(path) == 8

# at_or(x, path, d) is at(x, path), or d when that is undefined or null.
at_or(x, path, d) := v if {
	v := at(x, path)
	v != null
}

at_or(x, path, d) := d if not _has(x, path)

_has(x, path) if at(x, path) != null

# iterable(x) is x when it is a collection, else []; mapping(x) is x when it is an object, else {}.
# Input shapes are iterated through these: where `some v in x` meets a string or a number, OPA has
# nothing to iterate, but regorus raises an error (and the whole input would be lost).
iterable(x) := x if _is_collection(x)

iterable(x) := [] if not _is_collection(x)

_is_collection(x) if is_array(x)

_is_collection(x) if is_object(x)

_is_collection(x) if is_set(x)

# mapping(x): see iterable(x).
mapping(x) := x if is_object(x)

mapping(x) := {} if not is_object(x)

# show(v) prints a value the way the Python checks print it (streamguard.logic.values.show).
show(v) := "not set" if v == null

show(v) := concat("", ["\"", v, "\""]) if is_string(v)

show(v) := "true" if v == true

show(v) := "false" if v == false

show(v) := format_int(v, 10) if {
	is_number(v)
	v == floor(v)
}

show(v) := sprintf("%v", [v]) if {
	is_number(v)
	v != floor(v)
}

show(v) := "a list" if is_array(v)

show(v) := "a map" if is_object(v)

# upper(v) for strings; other values are never equal to an upper-case literal.
upper_or_empty(v) := upper(v) if is_string(v)

upper_or_empty(v) := "" if not is_string(v)

# is_true(v) / is_false(v): v is the boolean, or a string saying it in any case ("True").
is_true(v) if v == true

is_true(v) if {
	is_string(v)
	lower(v) == "true"
}

# is_false(v): see is_true(v).
is_false(v) if v == false

is_false(v) if {
	is_string(v)
	lower(v) == "false"
}
