package katapult

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification

/** The JBang entry and the Maven build must describe the same program. */
class BuildSpec extends Specification {

    static final String ENTRY = Files.readString(Path.of('katapult.java'))

    static Map<String, String> pomDependencies() {
        def pom = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of('pom.xml').toFile()).documentElement
        def child = { node, String name -> (0..<node.childNodes.length).collect { node.childNodes.item(it) }.find { it.nodeName == name } }
        def properties = child(pom, 'properties').childNodes.with { nodes ->
            (0..<nodes.length).collect { nodes.item(it) }.findAll { it.nodeType == 1 }.collectEntries { [(it.nodeName): it.textContent] }
        }
        def resolve = { node -> child(node, 'version')?.textContent?.replaceAll(/\$\{([^}]+)}/) { all, name -> properties[name] } ?: '' }
        def listed = { parent -> parent.getElementsByTagName('dependency').with { d -> (0..<d.length).collect { d.item(it) } } }
        // a BOM imported in dependencyManagement is what JBang's "@pom" line stands for
        def boms = listed(child(pom, 'dependencyManagement')).findAll { child(it, 'scope')?.textContent == 'import' }
        def direct = listed(child(pom, 'dependencies')).findAll { child(it, 'scope')?.textContent != 'test' }
        (boms + direct).collectEntries {
            ["${child(it, 'groupId').textContent}:${child(it, 'artifactId').textContent}".toString(), resolve(it)]
        }
    }

    static Map<String, String> entryDependencies() {
        ENTRY.readLines().findAll { it.startsWith('//DEPS ') }.collectMany { it.substring(7).trim().split(/\s+/) as List }
                .collectEntries { gav ->
                    def parts = gav.split(':')
                    ["${parts[0]}:${parts[1]}".toString(), parts.length > 2 ? parts[2].replace('@pom', '') : '']
                }
    }

    def "katapult.java's //DEPS and pom.xml's runtime dependencies agree"() {
        expect:
        entryDependencies() == pomDependencies()
    }

    def "the BOM comes first in katapult.java, as JBang needs"() {
        expect:
        ENTRY.readLines().find { it.startsWith('//DEPS ') }.endsWith('@pom')
    }

    def "katapult.java ships every template and the price table and compiles every source folder"() {
        given:
        def templates = (Files.list(Path.of('templates')).filter { it.toString().endsWith('.sh') }
                .map { 'templates/' + it.fileName }.toList()).toSorted()
        def shipped = ENTRY.readLines().findAll { it.startsWith('//FILES ') }.collect { it.substring(8).trim() }.sort()
        def table = 'katapult/provider/aws/aws-on-demand.csv'

        expect: 'each lands at the same path on the classpath, where AgentScripts reads it; the price table beside AwsPriceTable'
        shipped == (templates.collect { "$it=$it".toString() } + ["$table=lib/$table".toString()]).sort()
        Files.isRegularFile(Path.of('lib').resolve(table))
        ENTRY.contains('//SOURCES lib/**.java dsl/**.java')
        ENTRY.contains('//JAVA 17')
    }
}
