/// Words a 10-year-old knows and uses.
///
/// The gold judge's "simple words" criterion is the share of a response's words found here.
/// The list holds everyday words: function words, common nouns, verbs and adjectives of a
/// child's life, numbers, colors, body parts, animals, weather, school and home. A word
/// also counts when it is a listed word with a common ending ("plants", "played",
/// "jumping", "bigger", "quickly"); see `isSimple(_:)`. Digits always count.
public enum SimpleVocabulary {
    /// The listed words, lowercase, apostrophes removed ("dont").
    public static let words: Set<String> = Set(list.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    /// Whether a (lowercase) word is simple: listed, a number, or a listed word with one of
    /// the endings -s, -es, -ies, -ed, -d, -ing, -er, -est, -ly, -y, -ful (and a doubled last
    /// consonant or a dropped final "e" before the ending, as in "bigger" or "making").
    public static func isSimple(_ word: String) -> Bool {
        if words.contains(word) { return true }
        if let first = word.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") { return true }
        for ending in endings where word.count > ending.count + 1 && word.hasSuffix(ending) {
            let stem = String(word.dropLast(ending.count))
            if words.contains(stem) || words.contains(stem + "e") { return true }
            if ending == "ies" || ending == "ied" || ending == "ier" || ending == "iest" || ending == "ily",
               words.contains(stem + "y") { return true }
            // a doubled consonant: "bigger" -> "big", "running" -> "run"
            let chars = Array(stem)
            if chars.count >= 2, chars[chars.count - 1] == chars[chars.count - 2],
               words.contains(String(chars.dropLast())) { return true }
        }
        return false
    }

    static let endings = ["ies", "ied", "ier", "iest", "ily", "ing", "est", "es", "ed", "er", "ly", "s", "d", "y", "ful"]

    static let list = """
    a about above acid across act actually add address afraid after again against age ago agree air airplane alive all almost alone along already also
    always am amazing amount an and angry animal another answer ant any anyone anything apart apple april arc are area arm armor arms army around arrive
    art as ask asleep at ate august aunt autumn awake away
    baby back bad bag bake ball balloon banana band bang bank bark base basement basket basketball bat bath battery be beach bean bear beat beautiful
    because become bed bee been before began begin behind being believe bell belly below belt bend beside best better between big bike billion binoculars
    bird birthday bit bite black blanket blew blink block blood bloom blow blue board boat body boil bone bones book boot born boss both bottle bottom
    bounce bowl box boy brain branch brave bread break breakfast breath breathe brick bridge bright bring broke broken brother brought brown brush bubble
    bucket bug build built bump bunch burn burst bus bush busy but butter butterfly button buy by
    cable cake call calm came camera camp campfire can candle candy cannot cant cap car card care careful carry cart case castle cat catch caterpillar
    caught cause cave cell center chain chair chalk chance change charge chase cheap check cheek cheese chest chew chicken child children chin chocolate
    choose chose circle city clap class clay clean clear clever climb clock close closet cloth clothes cloud cloudy coat coin cold color colors colour comb
    come comet compare compass computer cook cookie cool copy cork corner could count country cousin cover cow crab crack crash crater crawl crayon cream
    cross crowd crown crumple cry cube cup cupboard curious cut cute cycle
    dad daddy dance danger dangerous dark day dead dear december decide deep deer degree delivery desk dice did didnt die different dig dinner dinosaur
    direction dirt dirty dish distance do doctor does doesnt dog doll dollar done dont door dot down drain draw drawing dream dress drew drink drip drive
    drop drove drum dry duck during dust
    each ear early earth earthquake earths east easy eat echo edge egg eight eighteen eighty elbow electricity eleven else empty end energy engine enough
    equal even evening ever every everybody everyone everything everywhere exactly example excited explain eye eyelid eyes
    face fact factory fair fall fallen family famous fan far farm fast fat father favorite fear feather february feed feel feeling feet fell felt fence few
    field fifteen fifty fight fill find fine finger fingers finish fire first fish fist fit five fix flag flap flash flashlight flat flatten flew float
    floor flow flower fly foam fold follow food foot footprint for force forest forget forgot fork form forth forty fossil found four fourteen fox frame
    free freeze fresh fridge friend friendly frog from front frozen fruit fuel full fun funnel funny fur
    game garden gas gate gave gentle germ get giant gift giraffe girl give glad glass glide glove glow glowing glue go goes going gold gone good goodbye
    got grab grain grandchildren grandma grandpa grass gray great green grew grip ground group grow grown guard guess gum
    had hair half hall hand hands hang happen happy hard harmless has hat hatch have hawk he head headlight heal healthy hear heard heart heartbeat heat
    heavy height hello helmet help her here hide high hill him his history hit hive hold hole holiday home homework honey hook hop hope horse hose hot hour
    house how hug huge hum human humans hundred hungry hunt hunter hurry hurt
    i ice idea if im important in insect inside instead internet into invisible iron is island isnt it its itself
    january jar jelly job join joke juice july jump june jupiter just
    keep kept key kick kid kind king kiss kitchen kite knee knew knock knot know
    lady lake lamp land lane large last late laugh lava lay layer lead leaf lean learn least leave left leftover leg legs lemon less let lets letter
    librarian lick lie life lift light lightning like line link lion lip liquid list listen lit little live long look loop lose lost lot loud love low
    lucky lunch lung lungs
    machine mad made magic magnet mail make mammal man many map marble march mark mars mash match matter may maybe me meal mean measure meat meet melt
    memory men mercury merry message metal middle might mile milk million mind minus minute mirror miss mist mistake mix mold mom moment money monkey month
    mood moon more morning most mother motor mountain mouse mouth move much mud multiply mum muscle music must my
    nail name nature near neck need needle neptune nerve nest never new next nice night nine nineteen ninety no nobody noise none noon normal north nose
    not notebook nothing notice november now number
    ocean october octopus of off office often oh oil ok okay old on once one ones only open opposite or orange order other our out outside over own
    pack page paint pair panel paper parent park part party pass past pat path pattern pea peace pebble peel pen pencil people person pet phone pick picnic
    picture piece pig pilot pink pipe place plan plane planet plant plastic plate play please plug plus pluto pocket point poison pole pond pool poor pop
    post pot pour power practice present press pretend pretty print prize program puddle pull pump puppy push put puzzle
    queen question quick quiet quite
    rabbit race radio rain rainbow raindrop rainy ran rang rare reach read ready real really rebuild recipe recycle red reflect remember remove replace
    rest rice rich ride right ring rinse ripple rise river road roar robot rock rocket roll roof room root rope rough round row rub rubbish rug rule run
    runner rush
    sad safe said sail salt same sand sang sat saturn save saw say scale scared scary school scientist sea seal seaside season seat second see seed seek
    seem seen sell send sense september seven seventeen seventy sewing shadow shake shall shallow shape share shark sharp she sheep sheet shelf shell
    shelves shine shiny ship shirt shoe shoot shop shore short should shoulder shout show shrimp shut shy sick side sign silent silly simple sing single
    sink sister sit six sixteen sixty size skeleton skin skull sky slant sleep slide slip slow small smart smash smell smile smoke smooth snack snake snap
    sneak snow snowball snowman snowy so soap sock soda soft soil solid solve some someone something sometimes son song soon sorry sort sound soup south
    space spare spark speak special speed spin spit split spoon spot spray spread spring square squeak squeeze squirt stair stamp stand star start stay
    steer step stick still stir stomach stone stop store storm stormy story stove straight strange street stretch string stripe strong stuck stuff such
    sudden sugar sum summer sun sunflower sunlight sunny sure surface surprise swallow sweep sweet swim swing switch
    table tail take talk tall tap taste teach teacher team tear teeth telephone tell ten tens than thank thanks that thats the their them themselves then
    there these they thick thin thing think third thirteen thirty this those though thought thousand three threw throat through throw thumb thunder tide
    tie tight tile tilt time tiny tip tired to today toe toes together told tomorrow tongue too took tool tooth toothpaste top tornado tornadoes touch
    toward towel tower town toy track train trampoline travel tray tree trick trip truck true try tube tummy turn twelve twenty twice twig twinkle twisty
    two
    uncle under understand until up upon ups upside uranus us use
    vanilla venus very vinegar violet visit visitor voice volcano volcanoes
    wait wake walk wall want warm was wash watch water waterfall wave way we weak wear weather web website week weekend weight well went were west wet
    whale what whats wheel when where which while whisper white who whole why wide wiggle wild will win wind window windy wing winter wire wish with
    without woke wolf woman wonder wonderful wood word work world worm would wrist write wrong wrote
    forward instruction erupt shaken whom event coding
    yard year yellow yes yet you young your youre yours yourself
    zero zoom
    """
}
