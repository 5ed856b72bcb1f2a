# METADATA
# title: streamguard nested Terraform blocks
# description: >-
#   A nested block as a document of its own, with the block's values, after_unknown mask and
#   configuration expressions, so the tf library (value, unknown, absent, targets) reads paths
#   inside it at any depth, whatever the nesting (util.at stops at a fixed number of steps).
package streamguard.lib.blocks

import rego.v1

# nested_blocks(doc, name) is every block `name` of doc (a resource, or a block from here) as a
# document {values, unknown, config, module}: absent or unknown blocks give none, repeated blocks several.
# (The blocks are bound before the comprehension: rego-cpp iterates every key when a comprehension
# indexes with a bare function argument.)
nested_blocks(doc, name) := subs if {
	found := object.get(doc.values, name, [])
	unknown := object.get(doc.unknown, name, [])
	config := object.get(doc.config, name, [])
	module := object.get(doc, "module", "")
	subs := [sub |
		is_array(found)
		some i
		block := found[i]
		is_object(block)
		sub := {"values": block, "unknown": _block_part(unknown, i), "config": _block_part(config, i), "module": module}
	]
}

_block_part(parts, i) := parts[i] if is_object(parts[i])

_block_part(parts, i) := {} if not _object_at(parts, i)

# (OPA evaluates a function's argument outside `not`: `not is_object(parts[i])` would be undefined.)
_object_at(parts, i) if is_object(parts[i])
