/**
 * The audit log: packet-ins copied by the decided flows of opted-in policies, turned into one line
 * per connection (docs/decisions.md, "Audit log").
 */
package io.ovsanp.controller.audit;
