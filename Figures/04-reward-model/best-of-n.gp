# Best-of-N on held-out prompts: proxy reward against gold score
# Render from this directory: gnuplot best-of-n.gp  (writes best-of-n.png)
if (!exists("outfile")) outfile = 'best-of-n.png'
set terminal pngcairo size 800,568 noenhanced font 'Sans,11'
set output outfile
set title 'Best-of-N on held-out prompts: proxy reward against gold score'
set xlabel 'KL bound log N − (N−1)/N (nats)'
set ylabel 'gain over N = 1 (standard deviations)'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set xrange [0:1.83508872]
set yrange [-0.164635858:1.80694563]
set style fill transparent solid 0.2 noborder
plot 'best-of-n.dat' index 0 using 1:($2-$3):($2+$3) with filledcurves lc 1 notitle, \
     'best-of-n.dat' index 1 using 1:($2-$3):($2+$3) with filledcurves lc 2 notitle, \
     'best-of-n.dat' index 2 using 1:($2-$3):($2+$3) with filledcurves lc 3 notitle, \
     'best-of-n.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward of the choice', \
     'best-of-n.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'gold score of the choice', \
     'best-of-n.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'gold score if the gold judge chose'
