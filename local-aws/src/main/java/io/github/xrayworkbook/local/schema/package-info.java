/** AWS's published X-Ray segment document schema, and a validator for documents against it. */
package io.github.xrayworkbook.local.schema;
