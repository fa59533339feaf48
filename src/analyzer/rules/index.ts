import type { RuleId } from '../findings.js';
import borrowedRelease from './borrowed-release.js';
import danglingField from './dangling-field.js';
import doubleRelease from './double-release.js';
import leak from './leak.js';
import preferImportModule from './prefer-import-module.js';
import returnBorrowed from './return-borrowed.js';
import stealMisuse from './steal-misuse.js';
import type { Rule } from './types.js';
import uncheckedNull from './unchecked-null.js';
import useAfterRelease from './use-after-release.js';

export const RULES: Readonly<Record<RuleId, Rule>> = {
  leak,
  'borrowed-release': borrowedRelease,
  'double-release': doubleRelease,
  'dangling-field': danglingField,
  'use-after-release': useAfterRelease,
  'steal-misuse': stealMisuse,
  'return-borrowed': returnBorrowed,
  'unchecked-null': uncheckedNull,
  'prefer-import-module': preferImportModule,
};
