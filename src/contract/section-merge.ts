// How data given for a section is laid over the data held before (the input, or what Circle saved):
// a flat section field by field, so a correction may name only the fields it changes; an array
// section (the whole list of entities) is taken as given. The workflow applies it to the updates it
// keeps, and the save to what Circle holds, so the data the check sees is the data that is saved.
// Zod-free: workflow code imports it.
import { isPlainObject } from '../shared/plain-object';

export function mergedSection<T>(before: unknown, given: T): T | Record<string, unknown> {
  return isPlainObject(before) && isPlainObject(given) ? { ...before, ...given } : given;
}
