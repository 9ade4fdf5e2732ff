package katapult.graphfixture.b

import katapult.graphfixture.a.Upper

/** The other half of the deliberate package cycle (b back to a). */
class Lower {
    Upper upper
}
