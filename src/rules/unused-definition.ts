import { defineRule } from './rule.js';

/**
 * Definitions GitHub renders nothing for: one that no reference uses, and a later duplicate of a
 * label (labels match case-insensitively; the first definition wins). Neither is ever checked as a
 * link, since nobody can follow it.
 */
export const unusedDefinition = defineRule({
  id: 'unused-definition',
  description: 'Reference definitions must be used, and each label defined once',
  severity: 'warning',
  run({ document }, emit) {
    for (const definition of document.unusedDefinitions) {
      const label = `[${definition.label}]`;
      if (definition.shadowedBy === undefined) {
        emit(definition, `Unexpected unused definition \`${label}\`: no link uses it`, {
          url: definition.url,
          hint: `remove it, or link to it with \`${label}\``,
        });
      } else {
        emit(definition, `Unexpected duplicate definition \`${label}\`: GitHub uses the one on line ${definition.shadowedBy.start.line}`, {
          url: definition.url,
          hint: 'remove it, or give it a label of its own',
        });
      }
    }
  },
});
