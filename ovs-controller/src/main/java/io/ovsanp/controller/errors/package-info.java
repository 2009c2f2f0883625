/**
 * How failures read to a user: a file system error as "permission denied" rather than an exception
 * name, and a message screened for Java class names before it is printed. Every command's output
 * goes through here where a library's message would otherwise reach the terminal.
 */
package io.ovsanp.controller.errors;
