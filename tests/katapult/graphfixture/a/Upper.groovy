package katapult.graphfixture.a

import katapult.graphfixture.b.Lower

/** Half of a deliberate package cycle: PackageGraphSpec shows its rules catch one. */
class Upper {
    Lower lower
}
